#!/usr/bin/env python3
"""Checks one server's user data as cloud-init would take it (baystack's bays, heat/bootstrap/).

Usage: check.py USER_DATA_FILE [--show PATH]...

The user data is the MIME message Heat gives Nova. Each text/cloud-config part is checked by
`cloud-init schema`; the shell scripts it carries (write_files *.sh) and each text/x-shellscript part
by `shellcheck`, the scripts side by side so that `source` directives resolve. Prints one line per
check (`ok ...` or `FAIL ...`) and exits 1 if any failed. --show PATH prints, after the checks, the
content of a file the cloud-config writes (between `--- PATH` and `--- end`).
"""
import email
import os
import subprocess
import sys
import tempfile

import yaml

LIMIT = 65535  # Nova's user_data limit (base64 of it, in fact: checked below on the encoded size)


def main(path, show):
    raw = open(path, "rb").read()
    failed = False
    encoded = (len(raw) + 2) // 3 * 4
    print(("ok" if encoded <= LIMIT else "FAIL") + f" size: {len(raw)} bytes, {encoded} in base64 (Nova's limit {LIMIT})")
    failed |= encoded > LIMIT
    message = email.message_from_bytes(raw)
    parts = [p for p in message.walk() if not p.is_multipart()]
    if not parts:
        print("FAIL no MIME parts")
        return 1
    work = tempfile.mkdtemp(prefix="userdata-")
    scripts = []
    shown = {}
    for i, part in enumerate(parts):
        body = part.get_payload(decode=True).decode("utf-8")
        kind = part.get_content_type()
        if kind == "text/cloud-config":
            file = os.path.join(work, f"part-{i}.yaml")
            open(file, "w").write(body)
            run = subprocess.run(["cloud-init", "schema", "-c", file], capture_output=True, text=True)
            ok = run.returncode == 0
            print(("ok" if ok else "FAIL") + f" cloud-init schema, part {i}: " + (run.stdout + run.stderr).strip().replace("\n", " | "))
            failed |= not ok
            for entry in (yaml.safe_load(body) or {}).get("write_files", []):
                if entry["path"] in show:
                    shown[entry["path"]] = entry["content"]
                if entry["path"].endswith(".sh"):
                    target = os.path.join(work, os.path.basename(entry["path"]))
                    open(target, "w").write(entry["content"])
                    scripts.append(target)
        elif kind == "text/x-shellscript":
            target = os.path.join(work, f"part-{i}.sh")
            open(target, "w").write(body)
            scripts.append(target)
        else:
            print(f"FAIL part {i}: unexpected content type {kind}")
            failed = True
    if not any(s.endswith(".sh") and os.path.basename(s).startswith("part-") for s in scripts):
        print("FAIL no shell script part: the node would run nothing")
        failed = True
    for script in scripts:
        run = subprocess.run(["shellcheck", "-x", "-P", work, "-s", "bash", script], capture_output=True, text=True, cwd=work)
        ok = run.returncode == 0
        print(("ok" if ok else "FAIL") + f" shellcheck {os.path.basename(script)}" + ("" if ok else ":\n" + run.stdout + run.stderr))
        failed |= not ok
    for file in show:
        print(f"--- {file}")
        print(shown.get(file, "(not written)"), end="" if shown.get(file, "").endswith("\n") else "\n")
        print("--- end")
    return 1 if failed else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    shows = [args[i + 1] for i, a in enumerate(args) if a == "--show"]
    sys.exit(main(args[0], shows))
