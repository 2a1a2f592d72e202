"""scikit-learn's RandomForestRegressor on the dataset `foresight bench ml` exported.

Same rows, same split, same target transform (log1p of the hours) and the same extra column the
Rust forest gets (the baseline's log prediction), with the Rust forest's settings; prints one
JSON line: test MAE and RMSE in hours and the training time in seconds.
"""

import json
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestRegressor


def load(path):
    with open(path) as f:
        names = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return names, data[:, :-1], data[:, -1]


def with_baseline(names, x):
    estimate = x[:, names.index("estimate_hours")]
    overrun = x[:, names.index("assignee_log_overrun")]
    baseline = np.log1p(np.clip(estimate * np.exp(overrun), 0.0, 17520.0))
    return np.column_stack([x, baseline])


def main(train_path, test_path, trees, depth, leaf, samples):
    names, x_train, y_train = load(train_path)
    _, x_test, y_test = load(test_path)
    x_train, x_test = with_baseline(names, x_train), with_baseline(names, x_test)
    model = RandomForestRegressor(
        n_estimators=trees,
        max_depth=depth,
        min_samples_leaf=leaf,
        max_features=1.0,
        max_samples=min(samples, len(y_train)),
        n_jobs=-1,
        random_state=0,
    )
    started = time.perf_counter()
    model.fit(x_train, np.log1p(y_train))
    seconds = time.perf_counter() - started
    predicted = np.expm1(model.predict(x_test))
    errors = predicted - y_test
    print(json.dumps({
        "mae": float(np.mean(np.abs(errors))),
        "rmse": float(np.sqrt(np.mean(errors ** 2))),
        "train_seconds": seconds,
        "train_rows": int(len(y_train)),
        "test_rows": int(len(y_test)),
    }))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
