"""Chapter 14: training on more powerful hardware (GPUs, TPUs, tf.distribute, cloud). No TensorFlow import."""
import streamlit as st

from tutorial import layers as L
from tutorial import presets
from tutorial import spec as S
from tutorial.deutsch import count, de, duration
from tutorial.app import loader, page, runlog
from tutorial.app import quiz

chapter = page.start(__file__)
bn = presets.PRESETS["keras_05_mnist_batch_norm"]
bn_run = loader.pretrained_history("keras_05_mnist_batch_norm")
mine = [run for run in runlog.runs() if run.kind == runlog.LIVE and run.seconds and run.history.get("epochs")
        and any(isinstance(layer, L.BatchNorm) for layer in run.spec.layers)]

st.header("Wie lange hat Ihr größtes Netz gebraucht?")
if bn_run and bn_run.get("seconds"):
    steps = bn_run["steps_per_epoch"] * bn_run["epochs_total"]
    st.markdown(f"""
Das Faltungsnetz mit Batch-Normalisierung aus Kapitel 13 hat {de(S.param_count(bn))} Parameter. Sein
fertiger Lauf brauchte auf einem Rechner mit 2 Kernen und ohne Grafikkarte {duration(bn_run["seconds"])}
für {bn_run["epochs_total"]} Epochen mit je {de(bn_run["steps_per_epoch"])} Schritten – rund
{de(1000 * bn_run["seconds"] / steps)} Millisekunden pro Schritt aus {bn.batch_size} Bildern.
""")
if mine:
    run = mine[-1]
    st.info(f"Ihr eigener Lauf mit Batch-Normalisierung in dieser Sitzung: {duration(run.seconds)} für "
            f"{count(len(run.history['epochs']), 'Epoche', 'Epochen')}"
            + (" im Schnellmodus (weniger Ziffern)." if run.quick else "."), icon=":material/timer:")
st.markdown("""
Für 60.000 kleine Ziffern ist das verschmerzbar. Für Millionen hochaufgelöster Fotos oder Modelle mit
Milliarden Parametern wäre ein solcher Rechner hoffnungslos überfordert. Dieses Kapitel zeigt, wo die
Rechenzeit steckt, wie man dasselbe Keras-Modell auf schnellerer Hardware und auf vielen Geräten zugleich trainiert, und was diese App selbst
dafür verwendet.
""")

st.header("Wo die Rechenzeit steckt")
st.markdown("""
Fast jede dieser Millisekunden entfällt auf Matrixmultiplikationen und Faltungen: Millionen Multiplikationen
und Additionen, von denen keine auf eine andere warten muss. Ein Hauptprozessor (**CPU**) hat wenige,
sehr vielseitige Kerne und kann darum nur wenige davon zugleich ausführen. Eine Grafikkarte (**GPU**)
hat Tausende einfacher Rechenwerke, die genau solche Rechnungen gleichzeitig erledigen. Googles **TPUs**
(*Tensor Processing Units*) sind eigens für die Matrixmultiplikationen neuronaler Netze gebaut; für
große Modelle schaltet Google viele von ihnen zu »Pods« zusammen.

So viele Rechenwerke sind nur ausgelastet, wenn die Daten schnell genug nachkommen. Das erledigt die
`tf.data`-Pipeline aus Kapitel 5 – vor allem `prefetch`, das den nächsten Batch vorbereitet, während
der aktuelle noch gerechnet wird. Und je größer der Batch, desto mehr gleichzeitige Arbeit steckt in
einem Schritt; auf GPUs und TPUs trainiert man deshalb meist mit deutlich größeren Batches als hier.
""")

quiz.questions(chapter, "after_hardware")

st.header("Ein Modell, viele Geräte: tf.distribute")
st.markdown("""
TensorFlow verteilt das Training über **Strategien** (`tf.distribute.Strategy`). Das Modell selbst
ändert sich dabei nicht: Sie erzeugen eine Strategie, bauen und kompilieren das Modell innerhalb
von `strategy.scope()`, und `model.fit` kümmert sich um den Rest. Jedes Gerät bekommt eine Kopie des
Modells (ein *Replikat*) und einen Teil jedes Batches; nach jedem Schritt werden die Gradienten aller
Replikate zusammengeführt, sodass alle Kopien gleich bleiben.
""")

strategies = {
    "MirroredStrategy – mehrere GPUs in einem Rechner": '''import math

import keras
import tensorflow as tf

strategy = tf.distribute.MirroredStrategy()   # findet alle GPUs dieses Rechners (sonst: die CPU)
print("Anzahl Replikate:", strategy.num_replicas_in_sync)


def build_model():                             # das Modell aus Kapitel 5; jedes andere geht genauso
    return keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(10, activation="softmax")])


# Der globale Batch wird auf die Replikate aufgeteilt: pro Gerät 128 Bilder
BATCH_SIZE = 128 * strategy.num_replicas_in_sync
training_dataset = get_training_dataset(training_images_file, training_labels_file,
                                        BATCH_SIZE, TRAIN_SIZE)

with strategy.scope():                         # Variablen auf allen Geräten anlegen
    model = build_model()                      # oder z. B. das Faltungsnetz aus Kapitel 13
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])

model.fit(training_dataset, steps_per_epoch=TRAIN_SIZE // BATCH_SIZE, epochs=EPOCHS,
          validation_data=validation_dataset,
          validation_steps=math.ceil(VALIDATION_SIZE / VALIDATION_BATCH))   # alle Testziffern''',
    "TPUStrategy – eine TPU (z. B. in Colab oder der Cloud)": '''import tensorflow as tf

resolver = tf.distribute.cluster_resolver.TPUClusterResolver()   # findet die TPU
tf.config.experimental_connect_to_cluster(resolver)
tf.tpu.experimental.initialize_tpu_system(resolver)
strategy = tf.distribute.TPUStrategy(resolver)
print("TPU-Kerne:", strategy.num_replicas_in_sync)              # z. B. 8

# TPUs rechnen am besten mit großen Batches fester Größe: get_training_dataset nutzt batch(..., drop_remainder=True)
BATCH_SIZE = 128 * strategy.num_replicas_in_sync
training_dataset = get_training_dataset(training_images_file, training_labels_file,
                                        BATCH_SIZE, TRAIN_SIZE)

with strategy.scope():
    model = build_model()
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])

model.fit(training_dataset, steps_per_epoch=TRAIN_SIZE // BATCH_SIZE, epochs=EPOCHS)''',
    "MultiWorkerMirroredStrategy – mehrere Rechner": '''import json
import os

import tensorflow as tf

# Jeder Rechner bekommt dieselbe Cluster-Beschreibung und seine eigene Rolle (index)
os.environ["TF_CONFIG"] = json.dumps({
    "cluster": {"worker": ["rechner-a:12345", "rechner-b:12345"]},
    "task": {"type": "worker", "index": 0},
})

strategy = tf.distribute.MultiWorkerMirroredStrategy()
BATCH_SIZE = 128 * strategy.num_replicas_in_sync   # globaler Batch über alle Rechner
training_dataset = get_training_dataset(training_images_file, training_labels_file,
                                        BATCH_SIZE, TRAIN_SIZE)

with strategy.scope():
    model = build_model()
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])

model.fit(training_dataset, steps_per_epoch=TRAIN_SIZE // BATCH_SIZE, epochs=EPOCHS)''',
}
choice = st.radio("Strategie", list(strategies), key="ch14_strategy")
st.code(strategies[choice], language="python")
st.caption("`build_model()` steht für den Modellaufbau aus den früheren Kapiteln (im ersten Beispiel ausgeschrieben); "
           "`get_training_dataset`, `validation_dataset`, die Dateinamen und die Größen wie `TRAIN_SIZE` und "
           "`EPOCHS` kommen aus den Codezellen von Kapitel 5 – etwa aus einem Notizbuch, das Sie bei einer Übung "
           "mit »Als Notebook herunterladen« erhalten. Dort angehängt läuft das erste Beispiel auch ohne "
           "Grafikkarte (mit einem Replikat auf der CPU); die beiden anderen brauchen eine TPU bzw. mehrere "
           "vernetzte Rechner.")

st.markdown("""
Zwei Dinge ändern sich beim verteilten Training fast immer mit:

- **Batch-Größe:** Der Batch, den `model.fit` sieht, ist der *globale* Batch. Mit vier GPUs und 128
  Bildern pro GPU sind das 512 – und eine Epoche hat nur noch ein Viertel der Schritte.
- **Lernrate:** Größere Batches liefern genauere Gradienten; oft darf die Lernrate dann etwas größer
  sein. Das ist eine Faustregel, kein Gesetz – die Lernkurven zeigen, ob es passt.
""")

quiz.questions(chapter, "after_distribute")

st.subheader("Nachrechnen: Geräte und Batch-Größe")
c1, c2 = st.columns(2)
devices = c1.select_slider("Geräte (Replikate)", [1, 2, 4, 8, 16, 32], value=4, key="ch14_devices")
per_device = c2.select_slider("Bilder pro Gerät und Schritt", [32, 64, 128, 256], value=128, key="ch14_per_device")
spread = bn.with_(batch_size=devices * per_device)
m = st.columns(3)
m[0].metric("Globaler Batch", de(spread.batch_size))
m[1].metric("Schritte pro Epoche", de(spread.steps_per_epoch))
m[2].metric("Bilder pro Gerät und Epoche", de(spread.steps_per_epoch * per_device))
st.caption(f"Für die {de(S.TRAIN_SIZE)} Trainingsziffern mit `steps_per_epoch = TRAIN_SIZE // BATCH_SIZE`. Mehr "
           "Geräte bedeuten weniger Schritte mit jeweils größerem Batch: Jedes Gerät sieht pro Epoche nur noch seinen Anteil der "
           "Ziffern, und die Lernrate passt oft nicht mehr ohne Weiteres (siehe oben).")

st.header("Training in der Cloud")
st.markdown("""
Wer keine eigene Grafikkarte hat, mietet Rechenzeit. Drei Wege sind verbreitet:

- *Notizbücher mit Beschleuniger:* Google Colab und Kaggle stellen in ihren Notizbüchern GPUs und
  TPUs bereit – für Experimente in der Größe dieses Kurses meist kostenlos.
- *Verwaltete Trainingsdienste:* Bei Google Cloud Vertex AI (dem Nachfolger der AI Platform, die
  das Codelab verwendet), Amazon SageMaker oder Azure Machine Learning übergeben Sie Ihr
  Trainingsskript als Auftrag (*training job*) und wählen Art und Zahl der Beschleuniger. Der Dienst
  startet die Maschinen, führt das Training aus, speichert das fertige Modell und schaltet danach
  wieder ab – bezahlt wird nur die Rechenzeit. Dieselben Dienste können das Modell anschließend auch
  als Vorhersage-Schnittstelle bereitstellen.
- *Eigene virtuelle Maschinen* mit GPU bei einem Cloud-Anbieter: volle Kontrolle, aber Einrichtung
  und Abschalten liegen bei Ihnen.

Der Code bleibt in allen Fällen derselbe Keras-Code – nur die Strategie und der Ort, von dem die
Daten gelesen werden (meist ein Cloud-Speicher statt einer lokalen Datei), ändern sich.
""")

st.header("Und diese App?")
params = de(S.param_count(bn))
st.markdown(f"""
Diese App trainiert bewusst auf der **CPU**: Auf Linux-Rechnern mit x86-Prozessor installiert sie das
schlanke Paket `tensorflow-cpu`, sonst das gewöhnliche `tensorflow`. So läuft sie auf jedem Laptop ebenso
wie auf der kostenlosen Streamlit Community Cloud, die keine Grafikkarte bietet. Ein Server mit zwei Kernen schafft das größte Modell des Kurses
– {params} Parameter, {bn.steps_per_epoch} Schritte pro Epoche bei Batch-Größe
{bn.batch_size} – in wenigen Minuten. Damit mehrere Lernende sich den Rechner teilen können, laufen nur
so viele Trainings gleichzeitig, wie Kerne und Speicher tragen (auf zwei Kernen eines; die Warteschlange
aus Kapitel 2), und für jede Übung liegt ein fertig trainiertes Ergebnis bereit.

Wollen Sie die Modelle dieses Kurses auf einer GPU trainieren, laden Sie bei einer Übung »Als Notebook
herunterladen«, öffnen die Datei in Colab und wählen dort unter »Laufzeit → Laufzeittyp ändern« eine GPU:
Keras verwendet eine vorhandene Grafikkarte automatisch, ganz ohne Strategie. Das Notizbuch ist
vollständig – Daten, Pipeline, Modell und Training stehen darin, nichts muss von anderswo kommen.
""")

page.end(chapter)
