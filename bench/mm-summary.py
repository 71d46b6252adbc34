#!/usr/bin/env python3
"""Summarises cliprec run directories named <data>-<model>-<seed>: test Recall@20 / NDCG@20 mean ± std
over seeds and train seconds per epoch (mean of per-run medians), from each run.json."""
import collections, glob, json, os, statistics as st, sys

out = sys.argv[1] if len(sys.argv) > 1 else '/tmp/runs'
groups = collections.defaultdict(list)
for f in sorted(glob.glob(os.path.join(out, '*', 'run.json'))):
    name = os.path.basename(os.path.dirname(f))
    parts = name.split('-')
    if len(parts) != 3:
        continue
    r = json.load(open(f))
    t = r['metrics']['test']
    tr = r['history']['train_seconds']
    groups[(parts[0], r['model'])].append((r['seed'], t['Recall@20'], t['NDCG@20'], st.median(tr),
                                            r['timing']['epochs'], r['timing']['best_epoch']))
sd = lambda v: st.stdev(v) if len(v) > 1 else 0.0
print('| data | model | seeds | test Recall@20 | test NDCG@20 | train s/epoch (median) | epochs (best) |')
print('|---|---|---|---|---|---|---|')
for (ds, m), xs in sorted(groups.items()):
    r = [x[1] for x in xs]; n = [x[2] for x in xs]
    print('| %s | %s | %s | %.4f ± %.4f | %.4f ± %.4f | %.3f | %s |' % (
        ds, m, ','.join(str(x[0]) for x in xs), st.mean(r), sd(r), st.mean(n), sd(n),
        st.mean([x[3] for x in xs]), ', '.join('%d (%d)' % (x[4], x[5]) for x in xs)))
