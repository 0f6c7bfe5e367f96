"""Shared test set-up: quiet TensorFlow logs and make the repo root the working directory."""
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parent.parent
os.chdir(ROOT)
