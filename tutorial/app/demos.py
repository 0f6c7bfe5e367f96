"""Chapter 5's demo: a pretrained model predicts a batch of test digits; ``argmax`` picks the digits."""
from __future__ import annotations

import streamlit as st

from tutorial.app import loader
from tutorial.app.views import show_digits
from tutorial.deutsch import de


def argmax_demo(name: str = "keras_01_mnist", n: int = 128) -> None:
    """Predict the first ``n`` test digits with a pretrained model: shape [n, 10], argmax(axis=1)."""
    model = loader.pretrained_model(name)
    if model is None:
        return
    from tutorial import data, models

    images, labels = loader.mnist("test")
    probabilities = models.predict_proba(model, data.to_model_input(images[:n]))
    predicted = probabilities.argmax(axis=1)
    st.markdown(f"`probabilities.shape` = **{tuple(probabilities.shape)}** – eine Zeile pro Bild, "
                "eine Spalte pro Ziffer. Die ersten fünf Zeilen (gerundet):")
    st.dataframe([{**{str(d): de(float(p), 3) for d, p in enumerate(row)}, "argmax": int(predicted[i]),
                   "richtig": int(labels[i])} for i, row in enumerate(probabilities[:5])],
                 hide_index=True, width="stretch")
    wrong = predicted != labels[:n]
    st.markdown(f"`np.argmax(probabilities, axis=1)` liefert {n} Ziffern; davon sind **{int(wrong.sum())}** "
                "falsch (rot):")
    show_digits(images[:n], predicted, wrong, columns=32)
