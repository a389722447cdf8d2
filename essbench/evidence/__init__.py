"""Evidence: source documents and curators' YAML files turned into validated models (no pandas, no plotly)."""
