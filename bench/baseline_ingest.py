#!/usr/bin/env python3
"""Baseline for bench/ingest_bench.sh: the same bulk upsert as `paperboy ingest`, written the
plain way with Python's standard library (json + sqlite3), so the benchmark can print an honest
ratio. Same work per record: parse the snapshot line, normalise id/whitespace/dates, look the
paper up by id, insert or update it with its category rows, batches of 5,000 per transaction in a
WAL database with synchronous=NORMAL.

usage: baseline_ingest.py SNAPSHOT(.jsonl|.jsonl.zst|.jsonl.gz) DATABASE
Prints one line: "baseline: N records in S s = R records/s".
"""
import gzip
import hashlib
import json
import re
import sqlite3
import subprocess
import sys
import time
from email.utils import parsedate_to_datetime

BATCH = 5000
NEW_ID = re.compile(r"^(?:arXiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$")
OLD_ID = re.compile(r"^(?:arXiv:)?([a-z-]+)(?:\.[A-Z]{2})?/(\d{7})(?:v\d+)?$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS papers (
  doc_id INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, abstract TEXT NOT NULL,
  authors TEXT NOT NULL, categories TEXT NOT NULL, primary_category TEXT NOT NULL, comments TEXT,
  journal_ref TEXT, doi TEXT, report_no TEXT, license TEXT, submitter TEXT, versions TEXT NOT NULL,
  latest_version INTEGER NOT NULL, published INTEGER NOT NULL, listing_day TEXT NOT NULL,
  update_date TEXT NOT NULL, content_hash INTEGER NOT NULL, change_seq INTEGER NOT NULL,
  stored_at INTEGER NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS papers_change_seq ON papers(change_seq);
CREATE INDEX IF NOT EXISTS papers_listing ON papers(listing_day, published);
CREATE TABLE IF NOT EXISTS paper_categories (
  category TEXT NOT NULL, doc_id INTEGER NOT NULL REFERENCES papers(doc_id) ON DELETE CASCADE,
  is_primary INTEGER NOT NULL, PRIMARY KEY (category, doc_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS paper_categories_doc ON paper_categories(doc_id);
"""


def open_lines(path):
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic[:2] == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8")
    if magic == b"\x28\xb5\x2f\xfd":
        proc = subprocess.Popen(["zstd", "-dc", path], stdout=subprocess.PIPE)
        return (line.decode("utf-8") for line in proc.stdout)
    return open(path, encoding="utf-8")


def canonical_id(raw):
    m = NEW_ID.match(raw)
    if m:
        return m.group(1)
    m = OLD_ID.match(raw)
    if m:
        return m.group(1) + "/" + m.group(2)
    raise ValueError("field 'id': not an arXiv id")


def to_paper(line):
    r = json.loads(line)
    if not r.get("id"):
        raise ValueError("field 'id' missing")
    if not r.get("title"):
        raise ValueError("field 'title' missing")
    versions = sorted(
        (int(v["version"][1:]), int(parsedate_to_datetime(v["created"]).timestamp())) for v in r.get("versions") or []
    )
    authors = [list(a[:3]) + [""] * (3 - len(a[:3])) for a in r.get("authors_parsed") or []]
    cats = (r.get("categories") or "").split()
    if not cats:
        raise ValueError("field 'categories' missing")
    return {
        "id": canonical_id(r["id"]),
        "title": " ".join(r["title"].split()),
        "abstract": " ".join((r.get("abstract") or "").split()),
        "authors": json.dumps(authors, ensure_ascii=False),
        "categories": json.dumps(cats),
        "primary": cats[0],
        "comments": r.get("comments"),
        "journal_ref": r.get("journal-ref"),
        "doi": r.get("doi"),
        "report_no": r.get("report-no"),
        "license": r.get("license"),
        "submitter": r.get("submitter"),
        "versions": json.dumps(versions),
        "latest": versions[-1][0] if versions else 0,
        "published": versions[0][1] if versions else 0,
        "listing_day": time.strftime("%Y-%m-%d", time.gmtime(versions[0][1])) if versions else "",
        "update_date": r.get("update_date") or "",
        "cats": cats,
    }


def content_hash(p):
    h = hashlib.blake2b(digest_size=8)
    for k in ("id", "title", "abstract", "authors", "categories", "comments", "journal_ref", "doi", "report_no",
              "license", "submitter", "versions", "update_date"):
        h.update(str(p[k]).encode())
        h.update(b"\0")
    return int.from_bytes(h.digest(), "little", signed=True)


def upsert(db, p, seq):
    """Returns 'inserted', 'updated', 'unchanged' or 'stale' under the store's version rules."""
    row = db.execute("SELECT doc_id, latest_version, update_date, content_hash FROM papers WHERE id = ?",
                     (p["id"],)).fetchone()
    h = content_hash(p)
    now = int(time.time())
    values = (p["title"], p["abstract"], p["authors"], p["categories"], p["primary"], p["comments"], p["journal_ref"],
              p["doi"], p["report_no"], p["license"], p["submitter"], p["versions"], p["latest"], p["published"],
              p["listing_day"], p["update_date"], h, seq, now)
    if row is None:
        cur = db.execute("INSERT INTO papers(title, abstract, authors, categories, primary_category, comments, "
                         "journal_ref, doi, report_no, license, submitter, versions, latest_version, published, "
                         "listing_day, update_date, content_hash, change_seq, stored_at, id) "
                         "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", values + (p["id"],))
        doc_id = cur.lastrowid
        outcome = "inserted"
    else:
        doc_id, latest, update_date, old_hash = row
        if (p["latest"], p["update_date"]) < (latest, update_date):
            return "stale"
        if old_hash == h:
            return "unchanged"
        db.execute("UPDATE papers SET title=?, abstract=?, authors=?, categories=?, primary_category=?, comments=?, "
                   "journal_ref=?, doi=?, report_no=?, license=?, submitter=?, versions=?, latest_version=?, "
                   "published=?, listing_day=?, update_date=?, content_hash=?, change_seq=?, stored_at=? "
                   "WHERE doc_id=?", values + (doc_id,))
        db.execute("DELETE FROM paper_categories WHERE doc_id = ?", (doc_id,))
        outcome = "updated"
    db.executemany("INSERT OR IGNORE INTO paper_categories(category, doc_id, is_primary) VALUES(?,?,?)",
                   [(c, doc_id, 1 if i == 0 else 0) for i, c in enumerate(p["cats"])])
    return outcome


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    path, db_path = sys.argv[1], sys.argv[2]
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA cache_size=-65536")
    db.executescript(SCHEMA)
    seq = db.execute("SELECT COALESCE(MAX(change_seq), 0) FROM papers").fetchone()[0]
    counts = {"inserted": 0, "updated": 0, "unchanged": 0, "stale": 0, "rejected": 0}
    start = time.monotonic()
    n = 0
    db.execute("BEGIN IMMEDIATE")
    for lineno, line in enumerate(open_lines(path), 1):
        if not line.strip():
            continue
        n += 1
        try:
            p = to_paper(line)
        except (ValueError, KeyError, TypeError, json.JSONDecodeError) as e:
            counts["rejected"] += 1
            print(f"{path}:{lineno}: {e}", file=sys.stderr)
            continue
        seq += 1
        outcome = upsert(db, p, seq)
        counts[outcome] += 1
        if n % BATCH == 0:
            db.execute("COMMIT")
            db.execute("BEGIN IMMEDIATE")
    db.execute("COMMIT")
    elapsed = time.monotonic() - start
    print(f"baseline: {n} records in {elapsed:.1f} s = {n / elapsed:.0f} records/s "
          f"(inserted {counts['inserted']}, updated {counts['updated']}, unchanged {counts['unchanged']}, "
          f"stale {counts['stale']}, rejected {counts['rejected']})")


if __name__ == "__main__":
    main()
