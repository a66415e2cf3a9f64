"""Every project management command prints its help (a lazy help text breaks argparse)."""

import re

from django.core.management import get_commands, load_command_class


def test_given_each_project_command_then_its_help_renders_in_chinese():
    commands = {name: app for name, app in get_commands().items() if app.startswith("qinqing.")}
    assert {"import_enterprises", "export_enterprises", "import_members", "run_worker"} <= set(commands)
    for name, app in sorted(commands.items()):
        parser = load_command_class(app, name).create_parser("manage.py", name)
        text = parser.format_help()
        assert isinstance(text, str) and name in text, name
        assert re.search(r"[\u4e00-\u9fff]", text), f"{name}: no Chinese description"
