"""deployments/prefect.yaml, read as `prefect deploy` reads it, without a server."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

PREFECT_YAML = REPO / "deployments" / "prefect.yaml"


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    from prefect.cli.deploy._models import PrefectYamlModel

    raw = yaml.safe_load(PREFECT_YAML.read_text())
    PrefectYamlModel.model_validate(raw)  # the model `prefect deploy` validates with
    return dict(raw)


def _deployments(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["name"]: d for d in config["deployments"]}


def test_a_scheduled_and_an_adhoc_deployment_of_the_ingest_flow(
    config: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.flows import load_flow_from_entrypoint

    deployments = _deployments(config)
    assert set(deployments) == {"scheduled", "adhoc", "reparse"}
    monkeypatch.chdir(REPO)  # entrypoints are relative to the checkout, as for `prefect deploy`
    flow_names = {
        "scheduled": "ingest-threads",
        "adhoc": "ingest-threads",
        "reparse": "reparse-threads",
    }
    for name, deployment in deployments.items():
        flow = load_flow_from_entrypoint(deployment["entrypoint"])
        assert flow.name == flow_names[name]
        accepted = set(inspect.signature(flow.fn).parameters)
        assert set(deployment["parameters"]) <= accepted
        assert deployment["work_pool"]["name"] == "threadline"
        env = deployment["work_pool"]["job_variables"]["env"]
        assert env["THREADLINE_COMMIT_LIMIT_STRICT"] == "true"  # server runs: strict writer limit
    assert "sources" not in deployments["adhoc"]["parameters"]  # required on each ad-hoc run
    assert deployments["adhoc"]["schedules"] == []


def test_the_schedule_is_cron_with_a_time_zone_and_queues_overlaps(
    config: dict[str, Any],
) -> None:
    from prefect.client.schemas.schedules import CronSchedule

    scheduled = _deployments(config)["scheduled"]
    (schedule,) = scheduled["schedules"]
    cron = CronSchedule(cron=schedule["cron"], timezone=schedule["timezone"])  # validates both
    assert cron.timezone == "Europe/Berlin"
    assert scheduled["concurrency_limit"] == {"limit": 1, "collision_strategy": "ENQUEUE"}


def test_steps_resolve(config: dict[str, Any]) -> None:
    from prefect.utilities.importtools import import_object

    from flows.deploy import ensure_writer_limit, locate_checkout

    build = {next(iter(step)): next(iter(step.values())) for step in config["build"]}
    assert import_object("flows.deploy.ensure_writer_limit") is ensure_writer_limit
    assert import_object("flows.deploy.locate_checkout") is locate_checkout
    ids = {inputs["id"] for inputs in build.values()}
    (pull,) = config["pull"]
    directory = pull["prefect.deployments.steps.set_working_directory"]["directory"]
    (reference,) = re.findall(r"\{\{\s*([\w-]+)\.(\w+)\s*\}\}", directory)
    assert reference[0] in ids
    assert locate_checkout() == {reference[1]: str(REPO)}
    assert Path(locate_checkout()["directory"], "flows", "ingest.py").is_file()
