"""The deployment files: Docker (no engine runs here, so its steps are checked and its install step is
run for real, exactly as the image runs it), compose and the systemd unit."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys

import yaml

from bot.settings import PROJECT_ROOT

README_INSTALL = 'python3 -m venv .venv && .venv/bin/pip install -e ".[test]"'


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def test_the_image_installs_as_the_readme_does_runs_as_a_user_and_checks_health():
    assert README_INSTALL in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    instructions = dockerfile_instructions()
    runs = [argument for name, argument in instructions if name == "RUN"]
    install = next(run for run in runs if "pip install" in run)
    assert install.startswith("python3 -m venv .venv && .venv/bin/pip install --no-cache-dir -e .")
    for name, argument in instructions:
        if name == "COPY":
            *sources, _ = argument.split()
            assert all((PROJECT_ROOT / source).exists() for source in sources), argument
    values = dict(instructions)
    assert values["FROM"].startswith("python:3.11-slim")
    assert values["USER"] == "factbot"
    assert "factbot\", \"health\"" in values["HEALTHCHECK"] and "factbot\", \"run\"" in values["CMD"]
    assert values["STOPSIGNAL"] == "SIGTERM" and "/data" in values["VOLUME"]
    assert "DATABASE_PATH=/data/" in values["ENV"] and "HEALTH_FILE=/data/" in values["ENV"]
    assert "DATA_DIR=/data" in values["ENV"], "the command-sync fingerprint must land on the volume too"


def test_the_image_install_step_works_and_the_installed_command_answers(tmp_path):
    """The Dockerfile's COPY and RUN steps, done here in a scratch folder as the image would."""
    app = tmp_path / "app"
    app.mkdir()
    for name, argument in dockerfile_instructions():
        if name == "COPY":
            *sources, target = argument.split()
            for source in sources:
                destination = app / target / source if target.endswith("/") else app / target
                copy = shutil.copytree if (PROJECT_ROOT / source).is_dir() else shutil.copy
                copy(PROJECT_ROOT / source, destination)
    install = next(a for n, a in dockerfile_instructions() if n == "RUN" and "pip install" in a)
    install = install.split(" && chown")[0].replace("python3 ", f"{shlex.quote(sys.executable)} ", 1)
    subprocess.run(install, shell=True, cwd=app, check=True, capture_output=True, timeout=600)
    environment = {"PATH": os.environ.get("PATH", ""), "KNOWLEDGE_DIR": str(app / "knowledge"),
                   "DATABASE_PATH": str(tmp_path / "data" / "factbot.sqlite3"), "HEALTH_FILE": str(tmp_path / "data" / "healthy")}
    factbot = app / ".venv" / "bin" / "factbot"
    answer = subprocess.run([factbot, "ask", "who got silver?"], cwd=tmp_path, env=environment,
                            capture_output=True, text=True, timeout=120)
    assert answer.returncode == 0 and "Rodgers Kwemoi" in answer.stdout, answer.stderr
    health = subprocess.run([factbot, "health"], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120)
    assert health.returncode == 1 and health.stdout.startswith("unhealthy"), "no bot running: not healthy"


def test_compose_runs_the_image_with_env_and_a_data_volume():
    compose = yaml.safe_load((PROJECT_ROOT / "compose.yaml").read_text(encoding="utf-8"))
    service = compose["services"]["factbot"]
    assert service["build"] == "." and service["env_file"] == ".env"
    assert any(volume.endswith(":/data") for volume in service["volumes"])
    assert service["restart"] == "on-failure" and service["stop_signal"] == "SIGTERM"
    assert service["environment"]["DATABASE_PATH"].startswith("/data/")


def test_the_systemd_unit_restarts_on_failure_with_its_env_file_and_data_directory():
    unit = (PROJECT_ROOT / "docs" / "factbot.service").read_text(encoding="utf-8")
    settings = dict(re.findall(r"^(\w+)=(.*)$", unit, re.MULTILINE))
    assert settings["Restart"] == "on-failure" and settings["EnvironmentFile"] == "/etc/factbot/factbot.env"
    assert settings["StateDirectory"] == "factbot" and "DATABASE_PATH=/var/lib/factbot/" in settings["Environment"]
    assert settings["ExecStart"].endswith("factbot run") and settings["KillSignal"] == "SIGTERM"
    assert settings["RestartPreventExitStatus"].split() == ["2", "4"]
    assert "DATA_DIR=/var/lib/factbot" in settings["Environment"]


def test_compose_shows_two_shards_sharing_postgresql():
    services = yaml.safe_load((PROJECT_ROOT / "compose.yaml").read_text(encoding="utf-8"))["services"]
    assert services["postgres"]["profiles"] == ["shared"] and "factbot" not in services["postgres"].get("profiles", [])
    shards = [services["shard-0"], services["shard-1"]]
    assert [shard["environment"]["SHARD_IDS"] for shard in shards] == [0, 1]
    assert all(shard["environment"]["SHARD_COUNT"] == 2 for shard in shards)
    urls = {shard["environment"]["DATABASE_URL"] for shard in shards}
    assert urls == {"postgresql://factbot:${POSTGRES_PASSWORD}@postgres:5432/factbot"}, "one store, no password written down"
    assert all(shard["depends_on"]["postgres"]["condition"] == "service_healthy" for shard in shards)
    assert "profiles" not in services["factbot"], "one machine stays the default"
