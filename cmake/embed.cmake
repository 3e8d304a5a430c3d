# Turns a data file into a C array, so the binary carries its defaults (stop words, themes,
# key maps) and works without an installed data directory. Called at build time:
#   cmake -DINPUT=file -DOUTPUT=file.c -DSYMBOL=name -P embed.cmake
# The array is NUL-terminated; NAME_len excludes the NUL.
file(READ "${INPUT}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUTPUT}"
  "/* Generated from ${INPUT}; do not edit. */\n"
  "#include <stddef.h>\n"
  "extern const char ${SYMBOL}[];\n"
  "extern const size_t ${SYMBOL}_len;\n"
  "const char ${SYMBOL}[] = {${bytes} 0};\n"
  "const size_t ${SYMBOL}_len = sizeof ${SYMBOL} - 1;\n")
