"""Server-rendered pages: views (one module per area), forms, presenters (chart payloads), template tags."""
