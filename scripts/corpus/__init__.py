"""A generated, labelled corpus for measuring secret scanners (issue #13, section 5).

`scripts/gen_corpus.py OUT --seed N` writes OUT/tree/ (the files to scan) and OUT/labels.jsonl (one JSON object per
planted positive or hard negative: file, line, the value as written, what it is and why). Everything is synthetic,
drawn from one seeded generator: the same seed gives byte-identical output. Only the Python standard library is used.

Modules:
  values     random values, checksummed tokens, private keys, password hashes
  layout     Doc (a file being written, with its labels), file kinds, realistic boilerplate
  generic    credential-ish names x assignment syntaxes x value kinds; constructors and command lines
  providers  provider tokens: every credsweep rule and the formats #13 and the peers' public rule lists name
  rulecover  a positive for every other rule of rules/*.toml, from the shapes of its examples with fresh values
  wrapped    PEM keys in any wrapping, Authorization headers, WireGuard, kaggle.json
  credfiles  credential files of developer tools, shadow/htpasswd lines
  negatives  hard negatives, each labelled with why it is not a secret
  score      matches scanner reports against the labels and prints the comparison table
"""
