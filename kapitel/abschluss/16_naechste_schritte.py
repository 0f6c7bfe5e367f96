"""Chapter 16: next steps – first in this app, then with the learner's own notebook, then new kinds of
networks and further reading, with links. No TensorFlow."""
import streamlit as st

from tutorial.app import page

chapter = page.start(__file__)
st.markdown("""
Dichte Netze und Faltungsnetze haben Sie jetzt selbst gebaut und trainiert. Die Vorschläge unten beginnen
dort, wo Sie gerade sind – in dieser App –, gehen dann mit Ihrem eigenen Notizbuch weiter und enden bei
Netzen für ganz andere Aufgaben.
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

st.header("Mit Ihrem eigenen Notizbuch weiter")
st.markdown("""
Jede Übung bietet »Als Notebook herunterladen«: Daten, Pipeline, Modell und Training stehen vollständig
darin. Laden Sie zum Beispiel das Netz aus Kapitel 13 herunter, öffnen Sie es in Google Colab und
probieren Sie dort, was in dieser App nicht geht:

- *Eine Grafikkarte:* Unter »Laufzeit → Laufzeittyp ändern« eine GPU wählen und dieselben Epochen noch
  einmal trainieren. Wie viel schneller ist es als auf dem Server dieser App (Kapitel 14)?
- *Neue Daten im selben Format:* [Fashion-MNIST](https://github.com/zalandoresearch/fashion-mnist) hat
  28 × 28 Graustufenbilder und zehn Klassen wie MNIST – aber Kleidungsstücke statt Ziffern, und es ist
  deutlich schwieriger. Ersetzen Sie in Colab in der Zelle unter »Die Daten« `keras.datasets.mnist` durch
  `keras.datasets.fashion_mnist`; die übrigen Zellen laufen unverändert. Wie weit kommt Ihr Faltungsnetz
  dort?
- *Eine TPU:* Ein Colab-Notizbuch von Google (aus dem Kurs »Fast and Lean Data Science«) trainiert ein
  Keras-Modell für MNIST von Anfang bis Ende auf einer TPU, mit einer Verteilungsstrategie wie in Kapitel 14.
""")
c1, c2 = st.columns(2)
c1.link_button("Keras-MNIST auf der TPU (Colab)",
               "https://colab.research.google.com/github/GoogleCloudPlatform/training-data-analyst/blob/master/"
               "courses/fast-and-lean-data-science/01_MNIST_TPU_Keras.ipynb", width="stretch")
c2.link_button("Leitfaden: Verteiltes Training", "https://www.tensorflow.org/guide/distributed_training",
               width="stretch")

st.header("Neue Arten von Netzen")
st.markdown("""
- **Transfer Learning** schließt direkt an Ihr Faltungsnetz an: Statt bei null anzufangen, übernimmt man
  ein auf Millionen Fotos vortrainiertes Faltungsnetz und trainiert nur die letzten Schichten für die
  eigene Aufgabe neu – so kommt man mit viel weniger eigenen Bildern aus.
- **Transformer und Attention** stecken hinter heutigen Sprachmodellen und zunehmend auch hinter
  Bildmodellen: Jedes Element einer Folge wird direkt mit allen anderen verglichen.
- **Rekurrente Netze (RNN, LSTM, GRU)** waren vor den Transformern das Werkzeug für Folgen – Text,
  Zeitreihen, Audio. Solche Netze geben einen inneren Zustand von Schritt zu Schritt weiter; so kann eine Folge
  beliebig lang sein, während eine Ziffer immer ein festes 28 × 28-Bild ist.
""")
c1, c2, c3 = st.columns(3)
c1.link_button("Keras: Transfer Learning", "https://keras.io/guides/transfer_learning/", width="stretch")
c2.link_button("Keras: Beispielsammlung", "https://keras.io/examples/", width="stretch")
c3.link_button("Keras: Rekurrente Netze", "https://keras.io/guides/working_with_rnns/", width="stretch")

st.header("Zum Nachlesen")
st.markdown("""
- [TensorFlow-Tutorials](https://www.tensorflow.org/tutorials) – von der Bildklassifikation bis zu
  Text und Zeitreihen, jeweils als ausführbares Notizbuch.
- [Google Cloud Vertex AI](https://cloud.google.com/vertex-ai) – Googles Dienst, um Modelle in der Cloud
  zu trainieren und bereitzustellen, wenn Daten und Modelle für ein Notizbuch zu groß werden.
- Das Original dieses Kurses: [TensorFlow, Keras and deep learning, without a PhD](https://codelabs.developers.google.com/codelabs/cloud-tensorflow-mnist)
  (Codelab von Google, englisch).
""")

st.success("Viel Freude beim Weiterlernen!", icon=":material/celebration:")

page.end(chapter)
