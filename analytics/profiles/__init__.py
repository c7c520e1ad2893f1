"""What we know about customers across features: the directory and one customer's profile."""
