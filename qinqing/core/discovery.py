"""How the domains plug in: each installed qinqing app may have a module of an agreed name (``urls``,
``api_urls``, ``permissions``, ``navigation``, ``tasks``, ``demo``, ``figures``, ``rollups``,
``tests.samples``); no central file lists them."""

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.apps import AppConfig, apps


def domain_modules(submodule: str) -> Iterator[tuple[AppConfig, ModuleType]]:
    """(app config, module) for each installed qinqing app that has ``<app>.<submodule>``, in INSTALLED_APPS
    order. A module that exists but fails to import (or imports something missing) raises as usual."""
    for config in apps.get_app_configs():
        if not config.name.startswith("qinqing."):
            continue
        name = f"{config.name}.{submodule}"
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name and not name.startswith(f"{exc.name}."):
                raise
            continue
        yield config, module
