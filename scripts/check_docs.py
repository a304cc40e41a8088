#!/usr/bin/env python3
"""Checks that every docs link in headers, apps, docs and README names an existing page and anchor
(headings, `{#id}` attributes and `<a id="...">` tags). Pages may sit in subfolders of docs/
(docs/results/uaol.md). Forms checked:
  - `docs/<path>.md#<anchor>` anywhere (comments, prose), relative to the repository root;
  - Markdown links `](<path>.md#<anchor>)` in docs/ pages, relative to the page (`](../uaol.md#x)` from
    docs/results/), and in README.md, relative to the root;
  - `](#<anchor>)` in docs/ pages: an anchor of the page itself.
Exit 1 and list the broken ones."""
import glob, os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(root)

def slug(text):
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")

pages = sorted(glob.glob("docs/**/*.md", recursive=True))
anchors = {}
for page in pages:
    found = set()
    in_code = False
    for line in open(page, encoding="utf-8"):
        if line.startswith("```"):
            in_code = not in_code
            continue
        found.update(re.findall(r"\{#([\w-]+)\}", line))
        found.update(re.findall(r"<a (?:id|name)=\"([\w-]+)\"", line))
        m = re.match(r"#+ (.*)", line)
        if m and not in_code:
            found.add(slug(re.sub(r"\{#[\w-]+\}", "", m.group(1))))
    anchors[os.path.normpath(page)] = found

sources = sorted(set(glob.glob("include/**/*.hpp", recursive=True) + glob.glob("include/**/*.h", recursive=True)
                     + glob.glob("apps/**/*.hpp", recursive=True) + glob.glob("apps/**/*.cpp", recursive=True)
                     + pages + ["README.md"]))
PATH = r"[\w./-]*?[\w-]+\.md"
broken = []
for f in sources:
    here = os.path.dirname(f) if f.startswith("docs/") else "."
    for i, line in enumerate(open(f, encoding="utf-8"), 1):
        links = []
        # docs/<path>.md[#anchor], from the repository root (not when part of a longer relative path)
        for path, anchor in re.findall(r"(?<![\w./-])(docs/" + PATH + r")(?:#([\w-]+))?", line):
            links.append((os.path.normpath(path), anchor))
        if f.endswith(".md"):
            # Markdown links to a page, relative to this file
            for path, anchor in re.findall(r"\]\((?!https?:)(" + PATH + r")(?:#([\w-]+))?\)", line):
                if path.startswith("docs/") and f == "README.md":
                    continue  # already taken as a root-relative docs/ path above
                links.append((os.path.normpath(os.path.join(here, path)), anchor))
            if f.startswith("docs/"):
                links += [(os.path.normpath(f), a) for a in re.findall(r"\]\(#([\w-]+)\)", line)]
        for page, anchor in links:
            if not page.startswith("docs" + os.sep) and page != "docs":
                if os.path.exists(page):
                    continue  # a Markdown file outside docs/ (README.md, CHANGELOG.md): no anchors checked
                broken.append(f"{f}:{i}: no file {page}")
            elif page not in anchors:
                broken.append(f"{f}:{i}: no page {page}")
            elif anchor and anchor not in anchors[page]:
                broken.append(f"{f}:{i}: no anchor {page}#{anchor}")
print("\n".join(broken) or f"docs links: all resolve ({len(sources)} files, {len(pages)} pages)")
sys.exit(1 if broken else 0)
