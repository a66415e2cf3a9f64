"""Enterprises (企业): models, actions, pages, API and the import engine's enterprise part."""
