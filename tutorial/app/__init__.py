"""The Streamlit layer: the only package of ``tutorial`` that imports Streamlit.

Pages call into it for their frame (:mod:`tutorial.app.page`), the exercise panel, the result
view, the run log and the interactive explanations; the engine modules beside it stay free of
Streamlit.
"""
