"""Reading a purchase file into the facts: options, detection and parsing (pure), previews, staged uploads,
and the import service that writes it all or nothing."""
