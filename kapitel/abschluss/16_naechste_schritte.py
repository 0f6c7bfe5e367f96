"""Chapter 16: next steps, with links. No TensorFlow."""
import streamlit as st

from tutorial.app import page

chapter = page.start(__file__)
st.markdown("""
Dichte Netze und Faltungsnetze haben Sie jetzt in der Hand. Wohin von hier aus? Ein paar Vorschläge,
vom nächsten kleinen Experiment bis zu ganz neuen Arten von Netzen.
""")

st.header("In dieser App weiterprobieren")
st.markdown("""
- **»Ziffern zeichnen«:** Malen Sie eigene Ziffern – auch absichtlich schlampige – und vergleichen Sie,
  wie das einschichtige Netz und das Faltungsnetz damit umgehen.
- **»Modelle von innen«:** Schauen Sie in der Verwechslungsmatrix nach, welche Ziffern selbst das beste
  Modell noch verwechselt, und ob Sie diese Bilder selbst richtig lesen würden.
- *Eigene Varianten:* Trainieren Sie in Kapitel 11 ein Faltungsnetz mit weniger Filtern oder einer
  kleineren dichten Schicht. Wie viele Parameter **Global Average Pooling** statt der dichten Schicht
  spart, zeigt der Rechner in Kapitel 10; Max-Pooling können Sie dort im Experiment an einer Ziffer
  ausprobieren (trainieren lässt es sich in dieser App nicht).
""")

st.header("Neue Arten von Netzen")
st.markdown("""
- **Rekurrente Netze (RNN, LSTM, GRU)** verarbeiten Folgen – Text, Zeitreihen, Audio –, indem sie
  einen inneren Zustand von Schritt zu Schritt weitergeben. Wo eine Ziffer ein festes 28 × 28-Bild ist,
  kann ein Satz beliebig lang sein; dafür wurden sie gebaut.
- **Transformer und Attention** haben rekurrente Netze für Sprache weitgehend abgelöst; sie stecken
  hinter heutigen Sprachmodellen und zunehmend auch hinter Bildmodellen.
- **Transfer Learning:** Statt bei null anzufangen, übernimmt man ein auf Millionen Bildern
  vortrainiertes Faltungsnetz und trainiert nur die letzten Schichten für die eigene Aufgabe neu.
""")
c1, c2, c3 = st.columns(3)
c1.link_button("Keras: Rekurrente Netze", "https://keras.io/guides/working_with_rnns/", width="stretch")
c2.link_button("Keras: Transfer Learning", "https://keras.io/guides/transfer_learning/", width="stretch")
c3.link_button("Keras: Beispielsammlung", "https://keras.io/examples/", width="stretch")

st.header("Größer trainieren: Cloud und TPUs")
st.markdown("""
Wenn Daten und Modelle wachsen, lohnt sich Hardware, wie sie Kapitel 14 beschreibt. Das
Schwester-Notizbuch des Codelabs trainiert das MNIST-Modell von Anfang bis Ende auf einer TPU; der
TensorFlow-Leitfaden erklärt alle Verteilungsstrategien, und Vertex AI ist Googles Dienst für
Training und Bereitstellung in der Cloud.
""")
c1, c2, c3 = st.columns(3)
c1.link_button("Keras-MNIST auf der TPU (Colab)",
               "https://colab.research.google.com/github/GoogleCloudPlatform/training-data-analyst/blob/master/"
               "courses/fast-and-lean-data-science/01_MNIST_TPU_Keras.ipynb", width="stretch")
c2.link_button("Leitfaden: Verteiltes Training", "https://www.tensorflow.org/guide/distributed_training",
               width="stretch")
c3.link_button("Google Cloud Vertex AI", "https://cloud.google.com/vertex-ai", width="stretch")

st.header("Zum Nachlesen")
st.markdown("""
- Das Original dieses Kurses: [TensorFlow, Keras and deep learning, without a PhD](https://codelabs.developers.google.com/codelabs/cloud-tensorflow-mnist)
  (Codelab von Google, englisch).
- [TensorFlow-Tutorials](https://www.tensorflow.org/tutorials) – von der Bildklassifikation bis zu
  Text und Zeitreihen, jeweils als ausführbares Notizbuch.
- [Fashion-MNIST](https://github.com/zalandoresearch/fashion-mnist) – dasselbe Format wie MNIST
  (28 × 28 Graustufen, zehn Klassen), aber Kleidungsstücke statt Ziffern und deutlich schwieriger.
  Ein guter Prüfstein, ob Ihr Faltungsnetz mehr kann als Ziffern.
""")

st.success("Viel Freude beim Weiterlernen!", icon=":material/celebration:")

page.end(chapter)
