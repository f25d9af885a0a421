"""Stage 4, output: staging and writing, the manifest, incremental and no-op runs."""
