"""Stage 3, emitting: rendering the model through the templates, layout, literals, formatting."""
