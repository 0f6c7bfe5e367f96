"""Chapter 13: batch normalisation (keras_05), with one switch per layer."""
import streamlit as st

from tutorial.app.explain import deep
from tutorial import layers as L
from tutorial import spec as S
from tutorial.app import exercise, loader, page, state
from tutorial.app import quiz
from tutorial.deutsch import de, percent

CONVS = ((12, 3, 1), (24, 6, 2), (32, 6, 2))
LAYER_NAMES = ("Faltung 1", "Faltung 2", "Faltung 3", "Dense(200)")
BATCHES = [32, 64, 128, 256]
DECAYS = [0.5, 0.6, 0.666, 0.7, 0.8, 0.9]
RATES = [0.0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5]
chapter = page.start(__file__)
KEY = chapter.key
SOLUTION = {**{f"{KEY}_bn_{i}": True for i in range(4)}, f"{KEY}_center": True, f"{KEY}_scale": False,
            f"{KEY}_batch": 64, f"{KEY}_decay": 0.666, f"{KEY}_dropout": 0.3}

st.markdown("""
Das letzte Werkzeug dieses Kurses setzt an einer Stelle an, auf die bisher niemand geschaut hat: an den
Zahlen, die ein Neuron für die Bilder eines Batches ausrechnet, *bevor* seine Aktivierungsfunktion sie
bekommt. Die drei Bilder unten zeigen solche Zahlen für einen gedachten Batch aus 512 Bildern, jeweils über die
sigmoid-Kurve gelegt. Achten Sie darauf, in welchem Teil der Kurve sie landen: Nur wo die Kurve steil ist, machen
unterschiedliche Eingaben einen Unterschied, und nur dort ist die Ableitung groß genug zum Lernen
(Kapitel 7). Liegen fast alle Werte auf dem flachen Ende, antwortet das Neuron immer gleich; drängen sie
sich auf einem schmalen Fleck, unterscheidet es die Bilder kaum. Das Werkzeug, das die Werte an die
richtige Stelle rückt, heißt **Batch-Normalisierung** (*batch normalization*, kurz **BN**).
""")
deep.batchnorm_distributions()

st.header("Was die Normalisierung tut")
st.markdown("""
BN **normalisiert** die Werte jedes Neurons über den aktuellen Batch: Mittelwert abziehen, durch die
Standardabweichung teilen. Bei einer Faltung geschieht das je Kanal, über alle Bilder des Batches und alle
Positionen der Merkmalskarte zugleich. Ein Beispiel mit einem Batch aus nur drei Bildern: Das Neuron liefert
2, 4 und 6. Der Mittelwert ist 4, die Standardabweichung etwa 1,63; normalisiert werden daraus −1,22, 0
und 1,22. Egal, wo die Werte vorher lagen – danach sitzen sie um 0 und sind etwa 1 breit gestreut.

Für *jedes* Neuron genau diese Verteilung zu erzwingen, wäre aber zu starr; manches Neuron arbeitet
besser, wenn seine Werte etwas rechts von der Mitte liegen oder breiter streuen. Deshalb hat jedes Neuron
zwei lernbare **Parameter**, einen Faktor α und einen Versatz β, und weiter gerechnet wird mit
*α · (normalisierter Wert) + β*; erst danach kommt die Aktivierung. Das Training entscheidet also selbst,
wo und wie breit die Werte jedes Neurons liegen sollen. Es kann die Normalisierung sogar
weitgehend zurücknehmen: Mit α gleich der Standardabweichung und β gleich dem Mittelwert kommen etwa die
ursprünglichen Werte heraus. Genau gelingt das nicht, denn α und β sind feste gelernte Zahlen, während
Mittelwert und Streuung von Batch zu Batch schwanken, und BN teilt zur Sicherheit durch eine um ein
winziges ε vergrößerte Standardabweichung.

In Keras schalten `center` (für β) und `scale` (für α, dort *gamma* genannt) diese beiden Parameter ein
oder aus:
""")
st.code("keras.layers.BatchNormalization(center=True, scale=False)", language="python")
st.markdown("""
**Und bei der Vorhersage?** Wer auf der Seite »Ziffern zeichnen« eine einzelne Ziffer malt, schickt
einen Batch aus genau einem Bild. Hinter einer dichten Schicht lässt sich daraus keine Streuung
berechnen, und auch sonst soll die Antwort nicht davon abhängen, welche anderen Bilder zufällig
mitkommen. Darum führt BN während des
Trainings für jedes Neuron einen **laufenden Mittelwert** von Mittelwert und Varianz der Batches mit
(einen exponentiell gleitenden Durchschnitt) und rechnet bei der Vorhersage mit diesen festen Zahlen.
Diese Werte werden nicht trainiert, sondern nur mitgezählt: In
`model.summary` erscheinen sie als *nicht trainierbare Parameter*, zwei pro Kanal. Keras erledigt all
das automatisch in der Schicht `keras.layers.BatchNormalization`.
""")

st.header("Die Regeln")
st.markdown("""
1. BN steht *hinter* der Schicht, aber *vor* deren Aktivierung. Die Schicht selbst bekommt
   keine Aktivierung mehr; die folgt als eigene Schicht `Activation("relu")`.
2. Mit `center=True` braucht die Schicht keinen **Bias** (`use_bias=False`): β übernimmt seine Aufgabe.
   Ein Bias würde ohnehin sofort wieder abgezogen, denn BN zieht als Erstes den Mittelwert ab.
3. Ist die Aktivierung **skaleninvariant**, darf `scale=False` bleiben. Bei relu gilt für jeden Faktor
   α > 0: relu(α · x) = α · relu(x) – der Faktor rutscht einfach durch die Aktivierung hindurch. Danach
   multipliziert die nächste Schicht ihre Eingaben ohnehin mit lernbaren Gewichten; die können jeden
   solchen Faktor genauso gut übernehmen. α wäre also doppelt gemoppelt. Bei sigmoid stimmt das nicht:
   Ein Faktor vor sigmoid macht die Kurve steiler oder flacher und ändert damit ihr Verhalten; dort
   braucht man α.
4. *Nicht* auf der letzten, der softmax-Schicht: Dort nützt BN nichts.

Ob es schadet, eine Regel zu brechen, lässt sich nur durch Ausprobieren herausfinden – die Regler unten
erlauben es. (Regel 2 setzt die App selbst um: Eine Schicht mit BN und `center=True` verliert ihren Bias.)
""")
st.code("""keras.layers.Conv2D(filters=24, kernel_size=6, strides=2, padding="same", use_bias=False),
keras.layers.BatchNormalization(center=True, scale=False),
keras.layers.Activation("relu"),""", language="python")

quiz.questions(chapter, "after_rules")

st.subheader("Übung: BN in jede Schicht außer der letzten")
st.markdown("""
Ausgangspunkt ist das Faltungsnetz mit Dropout aus Kapitel 12. Schalten Sie BN in *allen vier*
Schichten vor der softmax-Schicht ein (`center=True`, `scale=False`). Mit etwas Feinabstimmung geht
noch mehr: **Batch-Größe** 64, Abklingfaktor der Lernrate **0,666** und Dropout **0,3** auf der dichten
Schicht. Setzen Sie den **»Zoom der Kurven«** auf 16×.
""")
columns = st.columns(4)
bn = [columns[i].toggle(f"BN nach {name}", key=state.keep(f"{KEY}_bn_{i}", False))
      for i, name in enumerate(LAYER_NAMES)]
c1, c2 = st.columns(2)
center = c1.checkbox("center (β, Versatz)", key=state.keep(f"{KEY}_center", True))
scale = c2.checkbox("scale (α, Faktor)", key=state.keep(f"{KEY}_scale", False))
c1, c2, c3 = st.columns(3)
batch = c1.select_slider("Batch-Größe", BATCHES, key=state.keep(f"{KEY}_batch", 128, BATCHES))
decay = c2.select_slider("Abklingfaktor der Lernrate", DECAYS, key=state.keep(f"{KEY}_decay", 0.6, DECAYS),
                         format_func=lambda v: de(v, 3).rstrip("0"))
dropout = c3.select_slider("Dropout auf der dichten Schicht", RATES, key=state.keep(f"{KEY}_dropout", 0.4, RATES),
                           format_func=lambda r: f"{round(100 * r)} %")


def block(layer, with_bn: bool) -> list:
    """A layer with relu, or (rules 1 and 2) the layer without activation, then BN, then relu."""
    if not with_bn:
        return [layer]
    kwargs = {"activation": None, "use_bias": not center}
    inner = (L.Conv2D(layer.filters, layer.kernel_size, layer.strides, layer.padding, **kwargs)
             if isinstance(layer, L.Conv2D) else L.Dense(layer.units, **kwargs))
    return [inner, L.BatchNorm(center=center, scale=scale), L.Activation("relu")]


layers = [L.Reshape()]
for i, (filters, kernel, stride) in enumerate(CONVS):
    layers += block(L.Conv2D(filters, kernel, stride, "same", "relu"), bn[i])
layers.append(L.Flatten())
layers += block(L.Dense(200, "relu"), bn[3])
if dropout > 0:
    layers.append(L.Dropout(float(dropout)))
layers.append(L.Dense(10, "softmax"))
spec = S.RunSpec(layers=tuple(layers), optimizer="adam", learning_rate=0.01, lr_decay=decay, batch_size=batch)

exercise.panel(chapter, spec, apply_solution=SOLUTION, zoom=16,
            solution_text="Die Lösung entspricht dem Notizbuch `keras_05_mnist_batch_norm.ipynb`.")

st.header("Das Ergebnis")
show_result = quiz.after_run(chapter)
result = loader.preset_result("keras_05_mnist_batch_norm")
RESULT = f" (der fertige Lauf dieser App: {percent(result['accuracy'])})" if result else ""
if show_result:
    st.markdown(f"""
Mit BN, Batch-Größe 64 (also {de(S.TRAIN_SIZE // 64)} Schritte pro Epoche), Abklingfaktor 0,666 und
Dropout 0,3 erreicht das Netz rund **99,5 %**{RESULT} – von 10.000 Testziffern liest es nur noch etwa 50
falsch, 25 weniger als in Kapitel 12. Dieser fertige Lauf ist der beste von vier Läufen mit
verschiedenen Startwerten des Zufalls (*Seed* 0 bis 3: 99,40 % bis 99,50 %). Trainieren Sie die Lösung
hier selbst, rechnet die App mit Seed 0 und kommt auf etwa 99,40 % – derselbe Bauplan, nur ein
anderes Los beim Start. Vergleichen Sie die Verlustkurven mit denen aus Kapitel 12:

- *Nach der ersten Epoche vorn – aber Vorsicht beim Vergleich.* Nach einer Epoche erkennt der fertige
  Lauf 98,35 % der Testziffern, das Netz aus Kapitel 12 ohne BN 97,79 %. Nur: Mit Batch-Größe 64 macht
  die erste Epoche {de(S.TRAIN_SIZE // 64)} Schritte, mit Batch-Größe 128 nur {de(S.TRAIN_SIZE // 128)}.
  Nach gleich vielen Schritten, also am Ende seiner zweiten Epoche, steht das Netz ohne BN bei 98,55 % –
  dieser Vergleich zeigt also keinen Vorsprung von BN. Was BN nachweislich bringt, ist das bessere Ende
  (nächster Punkt) und ein Training, das größere Schritte verträgt, weil jede Schicht gut verteilte
  Eingaben bekommt; deshalb darf die Lernrate hier langsamer abklingen (Faktor 0,666 statt 0,6). Auf
  dem Server dieser App dauerten die zehn Epochen rund vier statt gut zwei Minuten: doppelt so viele
  Schritte, und BN rechnet mit.
- *Kein Wiederanstieg.* Der Validierungsverlust fällt bis zur neunten Epoche auf 0,015 und bleibt dort –
  halb so hoch wie mit Dropout allein und ohne den Anstieg aus Kapitel 12 (das letzte Plus von 0,0002 ist
  kaum mehr als Rauschen). BN wirkt selbst als **Regularisierung**: Jedes
  Bild wird mit den Mittelwerten *seines* zufällig zusammengestellten Batches normalisiert, das bringt
  eine kleine, ständig wechselnde Störung ins Training. Deshalb genügt weniger Dropout (0,3 statt 0,4);
  oft kann man es ganz weglassen.

Das Modell hat 354.538 Parameter, davon 536 nicht trainierbar: die laufenden Mittelwerte und
Varianzen der BN-Schichten (2 × (12 + 24 + 32 + 200)).

**Ein ehrliches Wort zu den 99,5 %.** Batch-Größe 64, Faktor 0,666 und Dropout 0,3 hat der Autor des
Codelabs durch Ausprobieren gefunden, und gemessen wurde dabei – wie in dieser App – an den
Testziffern. Die Einstellungen sind also ein wenig auf genau diese 10.000 Ziffern zugeschnitten
(Kapitel 3 erklärt, warum). Bei Unterschieden von ein paar Dutzend Ziffern kann das schon eine Rolle
spielen: Auf wirklich neuen Ziffern wäre ein etwas schlechteres Ergebnis keine Überraschung. Wer es
genau wissen will, stimmt solche Einstellungen auf abgezweigten **Validierungsdaten** ab und misst ganz
zum Schluss ein einziges Mal auf den **Testdaten**.
""")

page.end(chapter)
