#!/usr/bin/env python3
"""Swarm's own timeline of the last update of every service in a stack.

    swarm_times.py STACK GENERATION

Reads the stack's services (`docker service inspect`) and their tasks
(`docker inspect`) and waits (up to 90 s, outside any timed region) until
Swarm's updater has marked every service's update `completed` and each
service runs exactly its replicas of tasks whose spec carries
GENERATION=<GENERATION> (so a command that changed nothing is caught). Prints one line of epoch seconds, by the manager's clock:

    first_post last_healthy last_completed

- first_post: the earliest `UpdateStatus.StartedAt` (Swarm's updater
  stamps it as it takes up the POSTed spec; `UpdatedAt` will not do, every
  write of UpdateStatus moves it);
- last_healthy: the latest `Status.Timestamp` of a new running task (with a
  health check, Swarm keeps a task `starting` until its container is
  healthy, so `running` is the moment it turned healthy);
- last_completed: the latest `UpdateStatus.CompletedAt` (Swarm's updater
  marks an update completed one monitor window after its last task ran).

Exits 1 with a message when the stack is not in that state.
"""
import json
import subprocess
import sys
import time


def docker_json(*args):
    out = subprocess.run(["docker", *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out) if out.strip() else []


def epoch(stamp):
    # "2026-12-03T15:20:01.123456789Z": Python parses microseconds at most.
    date, _, rest = stamp.rstrip("Z").partition(".")
    fraction = float("0." + rest) if rest else 0.0
    return time.mktime(time.strptime(date, "%Y-%m-%dT%H:%M:%S")) - time.timezone + fraction


def read(stack):
    ids = subprocess.run(["docker", "service", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + stack],
                         check=True, capture_output=True, text=True).stdout.split()
    services = docker_json("service", "inspect", *ids) if ids else []
    task_ids = subprocess.run(["docker", "service", "ps", "-q", "--no-trunc", "--filter", "desired-state=running",
                               *[s["ID"] for s in services]],
                              check=True, capture_output=True, text=True).stdout.split() if services else []
    tasks = docker_json("inspect", *sorted(set(task_ids))) if task_ids else []
    return services, tasks


def check(services, tasks, wanted):
    """What is not yet as it should be, and the running tasks' timestamps."""
    problems = []
    if not services:
        problems.append("no services")
    by_service = {}
    for task in tasks:
        by_service.setdefault(task["ServiceID"], []).append(task)
    healthy = []
    for s in services:
        name = s["Spec"]["Name"]
        if (s.get("UpdateStatus") or {}).get("State") != "completed":
            problems.append(f"{name}: update {(s.get('UpdateStatus') or {}).get('State', 'not started')}")
        env = s["Spec"]["TaskTemplate"]["ContainerSpec"].get("Env") or []
        if wanted not in env:
            problems.append(f"{name}: spec lacks {wanted}")
        replicas = s["Spec"]["Mode"].get("Replicated", {}).get("Replicas", 0)
        current = [t for t in by_service.get(s["ID"], [])
                   if wanted in (t["Spec"]["ContainerSpec"].get("Env") or []) and t["Status"]["State"] == "running"]
        if len(current) != replicas:
            problems.append(f"{name}: {len(current)}/{replicas} tasks running")
        healthy += [epoch(t["Status"]["Timestamp"]) for t in current]
    return problems, healthy


def main():
    stack, generation = sys.argv[1], sys.argv[2]
    wanted = "GENERATION=" + generation
    # Both commands return once Swarm reports convergence, but Swarm's
    # updater may still be in its monitor window, and on a loaded machine a
    # health check can time out and Swarm replace a task: wait (untimed).
    deadline = time.time() + 90
    while True:
        services, tasks = read(stack)
        problems, healthy = check(services, tasks, wanted)
        if not problems or time.time() > deadline:
            break
        time.sleep(0.5)
    if problems:
        print(f"bench/apply: stack {stack} after {generation}, 90 s on: " + "; ".join(problems[:8]), file=sys.stderr)
        sys.exit(1)
    # A task of this generation that is no longer running was replaced
    # (failed health check): the span then includes its replacement.
    names = {s["ID"]: s["Spec"]["Name"] for s in services}
    replaced = subprocess.run(["docker", "service", "ps", "--no-trunc", "--format", "{{.ID}}", "--filter",
                               "desired-state=shutdown", *names], capture_output=True, text=True).stdout.split()
    if replaced:
        gone = [t for t in docker_json("inspect", *replaced)
                if wanted in (t["Spec"]["ContainerSpec"].get("Env") or []) and t["Status"]["State"] != "running"]
        if gone:
            print(f"bench/apply: warning: after {generation}, {len(gone)} new task(s) failed and were replaced: "
                  + ", ".join(sorted({names[t['ServiceID']] for t in gone})), file=sys.stderr)
    first_post = min(epoch(s["UpdateStatus"]["StartedAt"]) for s in services)
    last_completed = max(epoch(s["UpdateStatus"]["CompletedAt"]) for s in services)
    print(f"{first_post:.3f} {max(healthy):.3f} {last_completed:.3f}")


if __name__ == "__main__":
    main()
