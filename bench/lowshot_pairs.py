"""Shared by the bench scripts that compare low-shot eval JSONs draw by draw (table1-draws.py, compare-lowshot.py)."""
import math

KS = ["1", "2", "4", "8", "16"]


def paired(first, second):
    """Per-draw differences first - second in points (accuracies are fractions; draw i of each used the same labelled
    images), their mean, standard error of the mean (nan for one draw) and how many draws the first wins."""
    diffs = [100 * (a - b) for a, b in zip(first, second)]
    mean = sum(diffs) / len(diffs)
    se = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (len(diffs) - 1) / len(diffs)) if len(diffs) > 1 else float("nan")
    return diffs, mean, se, sum(d > 0 for d in diffs)
