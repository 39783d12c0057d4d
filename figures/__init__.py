"""figures: a catalogue of a story's numeric claims, with provenance and confidence.

The package is pure Python; the Streamlit app (``app.py``) and ``figures.ui``
are the only places that import Streamlit.
"""

__version__ = "0.1.0"
