#!/usr/bin/env python3
"""Checks that every docs link `docs/<page>.md#<anchor>` in headers, docs and README names an existing
page and anchor (headings, `{#id}` attributes and `<a id="...">` tags). Exit 1 and list the broken ones."""
import glob, os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(root)

def slug(text):
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")

anchors = {}
for page in glob.glob("docs/*.md"):
    found = set()
    for line in open(page, encoding="utf-8"):
        found.update(re.findall(r"\{#([\w-]+)\}", line))
        found.update(re.findall(r"<a (?:id|name)=\"([\w-]+)\"", line))
        m = re.match(r"#+ (.*)", line)
        if m:
            found.add(slug(re.sub(r"\{#[\w-]+\}", "", m.group(1))))
    anchors[os.path.basename(page)] = found

sources = glob.glob("include/**/*.hpp", recursive=True) + glob.glob("docs/*.md") + ["README.md"]
broken = []
for f in sources:
    for i, line in enumerate(open(f, encoding="utf-8"), 1):
        for page, anchor in re.findall(r"docs/([\w]+\.md)(?:#([\w-]+))?", line) + \
                [(p, a) for p, a in re.findall(r"\]\(([\w]+\.md)(?:#([\w-]+))?\)", line)] + \
                ([(os.path.basename(f), a) for a in re.findall(r"\]\(#([\w-]+)\)", line)] if f.startswith("docs/") else []):
            if page not in anchors:
                broken.append(f"{f}:{i}: no page docs/{page}")
            elif anchor and anchor not in anchors[page]:
                broken.append(f"{f}:{i}: no anchor {page}#{anchor}")
print("\n".join(broken) or "docs links: all resolve")
sys.exit(1 if broken else 0)
