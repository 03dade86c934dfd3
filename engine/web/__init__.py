"""The web side of the engine: routes, endpoints and what protects them."""
