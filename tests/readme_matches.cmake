# Checks that README.md's quick start is exactly tests/readme.cpp (the file the suite compiles and runs).
file(READ ${SRC}/README.md readme)
file(READ ${SRC}/tests/readme.cpp code)
string(FIND "${readme}" "```cpp\n${code}```" at)
if(at EQUAL -1)
  message(FATAL_ERROR "README.md's quick start differs from tests/readme.cpp")
endif()
