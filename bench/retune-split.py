# Two random halves of breast_cancer.csv; in the new half the six size columns (mean and worst radius, perimeter,
# area: f0 f2 f3 f20 f22 f23) are x1.5 for benign rows and /1.5 for malignant ones.
import random, sys
lines = [l for l in open(sys.argv[1]).read().split('\n')[1:] if l]
random.seed(1); random.shuffle(lines)
rows = [l.split(',') for l in lines]
half = len(rows) // 2
header = ','.join([f'f{i}' for i in range(30)] + ['target'])
new = []
for r in rows[half:]:
    r = list(r)
    for c in (0, 2, 3, 20, 22, 23):
        r[c] = repr(round(float(r[c]) * (1.5 if r[-1] == '1' else 1 / 1.5), 6))
    new.append(r)
open('old.csv', 'w').write(header + '\n' + '\n'.join(','.join(r) for r in rows[:half]) + '\n')
open('new.csv', 'w').write(header + '\n' + '\n'.join(','.join(r) for r in new) + '\n')
