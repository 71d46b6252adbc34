import json, os, statistics as st, sys
R = sys.argv[1] if len(sys.argv) > 1 else "/work/bench-runs/mp4sr"
variants = [('SASRec (ID)', 'sasrec'), ('SASRec + CPMM features', 'sasrec-cpmm'),
            ('MP4SR w/o pre-training', 'mp4sr-nopre'), ('MP4SR (pre-trained)', 'mp4sr-pre')]
ms = ['HR@10', 'HR@20', 'NDCG@10', 'NDCG@20']
def fmt(xs):
    if not xs: return '-'
    if len(xs) == 1: return '%.4f' % xs[0]
    return '%.4f ± %.4f' % (st.mean(xs), st.stdev(xs))
print('| variant | seeds | ' + ' | '.join(ms) + ' | ' + ' | '.join('cold ' + m for m in ms) + ' | epochs (best) |')
print('|' + '---|' * (3 + 2 * len(ms)))
cold = None
for name, pre in variants:
    runs = []
    for s in (42, 43, 44):
        f = os.path.join(R, '%s-%d' % (pre, s), 'run.json')
        if os.path.exists(f):
            runs.append((s, json.load(open(f))))
    row = [name, ','.join(str(s) for s, _ in runs) or '-']
    for m in ms:
        row.append(fmt([r['metrics']['test'][m] for _, r in runs]))
    for m in ms:
        row.append(fmt([r['metrics']['test']['cold@5/' + m] for _, r in runs]))
        if runs: cold = runs[0][1]['metrics']['test']['cold@5/users']
    row.append(', '.join('%d (%d)' % (r['timing']['epochs'], r['timing']['best_epoch']) for _, r in runs))
    print('| ' + ' | '.join(row) + ' |')
print('\ncold test cases (item with <= 5 training interactions):', cold, 'of 2928 test users')
for s in (42, 43, 44):
    f = os.path.join(R, 'pre-%d' % s, 'run.json')
    if os.path.exists(f):
        t = json.load(open(f))['timing']
        print('pretrain seed %d: %s epochs (best %s), %.1f sequences/s, %.1f s/epoch, peak RSS %s MiB' % (
            s, t['epochs'], t['best_epoch'], t['sequences_per_second'], t['train_seconds_per_epoch'], t['peak_rss_mib']))
