"""The files in deploy/ are valid for the tools that read them: systemd-analyze verify, nginx -t, supervisord."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from django.conf import settings

from .processes import need

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"


def _render(text: str, **values: str) -> str:
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    assert "@" not in "".join(line for line in text.splitlines() if not line.lstrip().startswith(("#", ";")))
    return text


def test_given_the_systemd_units_when_verified_then_systemd_accepts_them(tmp_path):
    tool = need("systemd-analyze", "systemd 单元检查")
    env_file = tmp_path / "qinqing.env"
    env_file.write_text("DJANGO_SETTINGS_MODULE=config.settings\n")
    units = sorted((DEPLOY / "systemd").iterdir())
    assert {u.name for u in units} == {
        "qinqing-web.service",
        "qinqing-worker.service",
        "qinqing-scheduler.service",
        "qinqing.target",
    }
    for unit in units:
        (tmp_path / unit.name).write_text(_render(unit.read_text(), ROOT=str(ROOT), ENV=str(env_file)))
        if unit.suffix == ".service":
            text = unit.read_text()
            for hardening in ("NoNewPrivileges=yes", "ProtectSystem=strict", "User=qinqing", "Restart=always"):
                assert hardening in text, f"{unit.name} lacks {hardening}"
            # Background work yields the CPU to the pages (docs/jobs.md); the web and the scheduler do not.
            assert ("\nNice=10\n" in text) == (unit.name == "qinqing-worker.service"), unit.name
            # ... and so do its bulk reads on the primary: one query at a time (core.bulkread).
            worker_reads = "\nEnvironment=QINQING_BULK_READ_CONCURRENCY=1\n" in text
            assert worker_reads == (unit.name == "qinqing-worker.service"), unit.name
    result = subprocess.run(
        [tool, "verify", "--man=no", *[u.name for u in units]], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Unknown key" not in result.stderr, result.stderr


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "qinqing.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def test_given_the_nginx_site_when_tested_then_nginx_accepts_it(tmp_path):
    tool = need("nginx", "nginx 配置检查")
    cert, key = _self_signed(tmp_path)
    static = tmp_path / "static"
    static.mkdir()
    site = _render(
        (DEPLOY / "nginx" / "qinqing.conf").read_text(),
        SERVER_NAME="qinqing.test",
        CERT=str(cert),
        KEY=str(key),
        STATIC=str(static),
    )
    (tmp_path / "qinqing.conf").write_text(site)
    for part in ("ssl_protocols TLSv1.2 TLSv1.3", "X-Forwarded-Proto", "return 301 https://"):
        assert part in site
    (tmp_path / "logs").mkdir()
    main = f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/logs/error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    include {tmp_path}/qinqing.conf;
}}
"""
    (tmp_path / "nginx.conf").write_text(main)
    result = subprocess.run(
        [tool, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_given_the_supervisor_template_when_rendered_then_it_runs_web_worker_and_scheduler(tmp_path):
    from supervisor.options import ServerOptions

    text = _render(
        (DEPLOY / "supervisord.conf.template").read_text(),
        ROOT=str(ROOT),
        HOST="127.0.0.1",
        PORT="8000",
        WORKERS="2",
        RUN=str(tmp_path),
    )
    conf = tmp_path / "supervisord.conf"
    conf.write_text(text)
    options = ServerOptions()
    options.realize(args=["-c", str(conf)])
    programs = {group.name: group.process_configs[0] for group in options.process_group_configs}
    assert set(programs) == {"web", "worker", "scheduler"}
    assert programs["worker"].command.startswith("nice -n 10 "), "the worker runs niced, as Nice=10 in systemd"
    assert not programs["web"].command.startswith("nice")
    for program in programs.values():
        assert program.autorestart and program.stopasgroup and program.killasgroup
