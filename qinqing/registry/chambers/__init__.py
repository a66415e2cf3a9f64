"""Chambers (商会): models, actions, pages, API and the import engine's chamber part."""
