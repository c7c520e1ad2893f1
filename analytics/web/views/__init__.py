"""Server-rendered pages. Each view parses input, calls a selector or service, and renders a template."""
