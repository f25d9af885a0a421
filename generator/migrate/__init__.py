"""Stage M, ``naftiko-gen migrate``: rewrite Naftiko alpha2 specs into the Ikanos syntax.

The rewrite is a set of small text edits on the file the user wrote, so comments, key
order, quoting and the layout of untouched lines are kept byte for byte:

- ``rules`` walks the document (composed by ruamel.yaml's round-trip parser, which keeps
  every node's position) and says what changes: keys renamed, values set, named lists
  turned into maps keyed by their names;
- ``textedit`` applies those changes to the source text, line by line;
- ``dataedit`` applies the same changes to the loaded data, the expected result;
- ``convert`` runs one file: it refuses what cannot be rewritten safely and checks that
  the new text reads back as exactly the expected data before anything is written;
- ``files`` writes the result atomically.
"""
