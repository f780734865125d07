"""Offline evaluation for L&D staff: ranking and beyond-accuracy metrics, baselines,
significance, and a self-contained HTML report. See docs/evaluation.md.

Entry points: `evaluation.runner.run_evaluation(config)` and `evaluation.report.write_outputs`.
"""
