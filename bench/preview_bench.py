"""The live preview's timings: save-to-screen and the map's layout, for a 40-node scenario.

    SDL_VIDEODRIVER=dummy python -m bench.preview_bench [--nodes 40] [--runs 10]

Save-to-screen is measured from the write of the file to the end of the first frame that shows it,
the watch timer's wait included (the window polls every quarter of a second). Targets (issue 11):
save-to-screen under 0.5 s, layout under 0.2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=40)
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args(argv)
    from bench.gen_synth import generate, to_yaml
    from game.authoring.layout import layout
    from game.authoring.loader import load_file

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PANDORE_HOME"] = str(Path(tmp) / "home")
        path = Path(tmp) / "synth" / "fr.yaml"
        path.parent.mkdir()
        text = to_yaml(generate(args.nodes, 1))
        path.write_text(text, encoding="utf-8")
        scenario = load_file(path).scenario
        lay = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            layout(scenario)
            lay.append(time.perf_counter() - t0)
        from game.ui.pilot import Pilot
        from game.ui.watch import open_preview

        pilot = Pilot(open_preview(str(path), lang="fr", size=(1280, 720)))
        scene = pilot.scene
        saves = []
        for i in range(args.runs):
            draws = pilot.app.draws
            t0 = time.perf_counter()
            path.write_text(text + f"# save {i}\n", encoding="utf-8")
            while scene.last_reload_seconds is None or pilot.app.draws == draws or scene._bytes != path.read_bytes():
                pilot.app.step(block=True)
            saves.append(time.perf_counter() - t0)
        print(f"{len(scenario.nodes)} nodes, {len(scenario.endings)} endings, {args.runs} runs")
        print(f"layout:         median {statistics.median(lay) * 1000:7.1f} ms, max {max(lay) * 1000:7.1f} ms "
              f"(target 200 ms)")
        print(f"save-to-screen: median {statistics.median(saves) * 1000:7.1f} ms, max {max(saves) * 1000:7.1f} ms "
              f"(target 500 ms; of which the check and reload {scene.last_reload_seconds * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
