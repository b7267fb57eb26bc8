#!/usr/bin/python3
"""arxiv-sanity-lite's recommendation method as a reference for `paperboy eval recommend`.

Reference only (not shipped): Debian's python3-sklearn. Reproduces arxiv-sanity-lite's
compute.py / serve.py recommendation: TfidfVectorizer(ngram_range=(1, 2), max_features=20000,
min_df=5, max_df=0.1, sublinear_tf=True, lowercase, strip_accents unicode, token pattern
r'(?u)\\b[a-zA-Z_][a-zA-Z0-9_]+\\b') over the whole corpus, then per user a LinearSVC(C=0.01,
class_weight='balanced') with the liked papers positive and every other paper negative; the
window's papers (first-version date inside window.json, liked excluded) ranked by the decision
function. Content only (title + abstract) unless --with-authors (arxiv-sanity-lite as shipped).

  /usr/bin/python3 bench/search/arxiv_sanity_reference.py ../shared/eval/recommend-dev \
      --corpus ../shared/corpus/arxiv-cs-141k.jsonl.zst [--users 200] [--with-authors]

Prints recall50= and ndcg50= last, like the paperboy command.
"""
import argparse
import json
import math
import subprocess
import sys

import numpy as np
from sklearn import svm
from sklearn.feature_extraction.text import TfidfVectorizer


def read_corpus(path):
    if path.endswith(".zst"):
        proc = subprocess.Popen(["zstd", "-dc", path], stdout=subprocess.PIPE)
        lines = proc.stdout
    else:
        lines = open(path, "rb")
    for line in lines:
        if line.strip():
            yield json.loads(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--users", type=int, default=200, help="evenly spaced users (0: all)")
    ap.add_argument("--with-authors", action="store_true", help="author names in the text (as shipped)")
    args = ap.parse_args()

    window = json.load(open(f"{args.dir}/window.json"))
    users = [json.loads(l) for l in open(f"{args.dir}/users.jsonl") if l.strip()]
    if args.users and args.users < len(users):
        users = [users[i * len(users) // args.users] for i in range(args.users)]

    ids, texts, in_window = [], [], []
    for r in read_corpus(args.corpus):
        text = (r.get("title") or "") + " " + (r.get("abstract") or "")
        if args.with_authors:
            text = (r.get("authors") or "") + " " + text
        ids.append(r["id"])
        texts.append(text)
        v = r.get("versions") or []
        created = v[0].get("created", "") if v else ""
        # "Mon, 2 Apr 2007 19:18:42 GMT" or ISO: compare as YYYY-MM-DD.
        day = iso_day(created)
        in_window.append(window["from"] <= day <= window["until"])
    index = {pid: i for i, pid in enumerate(ids)}
    vectorizer = TfidfVectorizer(input="content", encoding="utf-8", decode_error="replace",
                                 strip_accents="unicode", lowercase=True, analyzer="word",
                                 stop_words="english", token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b",
                                 ngram_range=(1, 2), max_features=20000, norm="l2", use_idf=True,
                                 smooth_idf=True, sublinear_tf=True, max_df=0.1, min_df=5)
    x = vectorizer.fit_transform(texts).astype(np.float32)
    window_rows = np.array([i for i, w in enumerate(in_window) if w])
    print(f"users={len(users)} corpus={len(ids)} window={len(window_rows)}", flush=True)

    recall = ndcg = 0.0
    for n, u in enumerate(users):
        liked = [index[p] for p in u["liked"] if p in index]
        y = np.zeros(x.shape[0], dtype=np.float32)
        y[liked] = 1
        clf = svm.LinearSVC(class_weight="balanced", verbose=False, max_iter=10000, tol=1e-6, C=0.01)
        clf.fit(x, y)
        scores = clf.decision_function(x[window_rows])
        liked_set = set(liked)
        order = [window_rows[i] for i in np.argsort(-scores) if window_rows[i] not in liked_set][:50]
        relevant = set(u["relevant"])
        hits = [k for k, row in enumerate(order) if ids[row] in relevant]
        recall += len(hits) / len(relevant)
        ideal = sum(1 / math.log2(k + 2) for k in range(min(50, len(relevant))))
        ndcg += sum(1 / math.log2(k + 2) for k in hits) / ideal
        if (n + 1) % 50 == 0:
            print(f"  {n + 1} users: recall50={recall / (n + 1):.4f} ndcg50={ndcg / (n + 1):.4f}", file=sys.stderr, flush=True)
    label = "arxiv-sanity-lite as shipped (author names in text)" if args.with_authors else "arxiv-sanity-lite method, content only"
    print(f"reference={label} recall50={recall / len(users):.4f} ndcg50={ndcg / len(users):.4f}")
    print(f"recall50={recall / len(users):.4f} ndcg50={ndcg / len(users):.4f}")


MONTHS = {m: i + 1 for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])}


def iso_day(created):
    parts = created.replace(",", "").split()
    if len(parts) >= 4 and parts[2] in MONTHS:
        return f"{int(parts[3]):04d}-{MONTHS[parts[2]]:02d}-{int(parts[1]):02d}"
    return created[:10]


if __name__ == "__main__":
    main()
