"""Benchmark the SOP knowledge base: index 1,000 synthetic chunks, then time queries in process.

Run: `.venv/bin/python benchmarks/bench_kb.py [--chunks 1000] [--queries 200] [--embedding use-multilingual]`.
Targets (issue 5): indexing 1,000 chunks < 30 s; query p95 < 30 ms in process.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.config import Settings  # noqa: E402
from knowledge.index import index_documents  # noqa: E402
from knowledge.retrieval import search  # noqa: E402

TOPICS_ZH = ["退貨", "改期", "颱風", "黑雨", "損壞", "跨境", "信貸", "推廣", "調貨", "急件", "投訴", "自取"]
TOPICS_EN = ["returns", "rescheduling", "typhoon", "rainstorm", "damage", "cross-border", "credit", "promotion",
             "transfer", "urgent delivery", "complaints", "pick-up"]
QUESTIONS = ["退貨政策係點?", "颱風八號波仲送唔送貨?", "How do I report damaged goods?", "客人要改送貨時間點做?",
             "退货期限是多久?", "What are the payment terms for Tier B customers?", "急件附加費幾錢?",
             "Which days does the cross-border truck leave Shenzhen?"]


def write_documents(folder: Path, chunks: int, sections_per_doc: int = 10, seed: int = 7) -> None:
    """Synthetic bilingual SOPs: `chunks` sections in documents of `sections_per_doc` sections."""
    rng = random.Random(seed)
    for doc in range(chunks // sections_per_doc):
        zh = doc % 2 == 0
        topic = (TOPICS_ZH if zh else TOPICS_EN)[doc % len(TOPICS_ZH)]
        lines = [f"# {topic} {'程序' if zh else 'procedure'} {doc}", ""]
        for section in range(sections_per_doc):
            days, fee = rng.randint(1, 30), rng.randint(20, 500)
            lines.append(f"## {'第' if zh else 'Part '}{section + 1}{'部分' if zh else ''} {topic}")
            if zh:
                lines.append(f"- {topic}要喺 {days} 個工作天內處理,收費 HK${fee}。\n- 由物流部主管批核,並通知客服部。")
            else:
                lines.append(f"- {topic.capitalize()} requests are handled within {days} working days; "
                             f"the fee is HK${fee}.\n- The Logistics Manager approves and tells Customer Service.")
            lines.append("")
        (folder / f"doc-{doc:04d}.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Print indexing time and query latency percentiles."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--embedding", default="use-multilingual")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        docs = root / "docs"
        docs.mkdir()
        write_documents(docs, args.chunks)
        settings = Settings(home=root / "home", env={})
        settings.kb.sop_dir = str(docs)
        settings.kb.embedding = args.embedding

        started = time.perf_counter()
        from knowledge.embeddings import get_embedder
        get_embedder(args.embedding).embed(["warm-up"])
        load_s = time.perf_counter() - started
        report = index_documents(settings)
        print(f"model load: {load_s:.1f} s")
        print(f"index {report.total_chunks} chunks: {report.seconds:.1f} s "
              f"({report.total_chunks / report.seconds:.0f} chunks/s)  [target < 30 s]")
        again = index_documents(settings)
        print(f"re-index, nothing changed: {again.seconds * 1000:.0f} ms ({len(again.unchanged)} documents unchanged)")

        started = time.perf_counter()
        search(settings, QUESTIONS[0])
        print(f"first query (loads the index cache: texts, vectors, BM25): {(time.perf_counter() - started) * 1000:.0f} ms")
        latencies = []
        for i in range(args.queries):
            started = time.perf_counter()
            search(settings, QUESTIONS[i % len(QUESTIONS)])
            latencies.append((time.perf_counter() - started) * 1000)
        latencies.sort()
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        print(f"{args.queries} queries: p50 {statistics.median(latencies):.1f} ms  p95 {p95:.1f} ms  "
              f"max {latencies[-1]:.1f} ms  [target p95 < 30 ms]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
