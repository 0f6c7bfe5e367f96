"""Chapter 13: batch normalisation (keras_05), with one switch per layer.

Main path: the normalising experiment, how BN goes into the net, the exercise, the result. The depth
(α and β, the rules' reasons, prediction with running means, how fair the comparisons are) sits in
optional parts under ``page.deeper``."""
import streamlit as st

from tutorial.app.explain import deep
from tutorial import layers as L
from tutorial import presets
from tutorial import spec as S
from tutorial import theory_cnn as TC
from tutorial.app import exercise, loader, page, state
from tutorial.app import quiz
from tutorial.deutsch import de, number, percent

CONVS = ((12, 3, 1), (24, 6, 2), (32, 6, 2))
LAYER_NAMES = ("Faltung 1", "Faltung 2", "Faltung 3", "Dense(200)")
BATCHES = [32, 64, 128, 256]
DECAYS = [0.5, 0.6, 0.666, 0.7, 0.8, 0.9]
RATES = [0.0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5]
EXAMPLE = (2.0, 4.0, 6.0)   # three images' sums for one neuron: the worked example of normalising
chapter = page.start(__file__)
KEY = chapter.key
SOLUTION = {**{f"{KEY}_bn_{i}": True for i in range(4)}, f"{KEY}_center": True, f"{KEY}_scale": False,
            f"{KEY}_batch": 64, f"{KEY}_decay": 0.666, f"{KEY}_dropout": 0.3}
example = TC.batch_norm(EXAMPLE)


def listing(values, digits: int) -> str:
    """"−1,22, 0 und 1,22": German numbers (a true minus sign, 0 without decimals) joined with "und"."""
    parts = [number(float(v), digits) if round(float(v), digits) else "0" for v in values]
    return ", ".join(parts[:-1]) + " und " + parts[-1]


st.markdown("""
In diesem Kapitel bekommt Ihr Faltungsnetz aus Kapitel 12 einen letzten Baustein: die
**Batch-Normalisierung** (englisch *batch normalization*, kurz BN). Sie setzen sie unten per Schalter
in jede Schicht, trainieren und vergleichen mit Kapitel 12. Zuerst ein Versuch an einem einzelnen Neuron,
der zeigt, was BN mit den Zahlen macht.
""")
deep.batchnorm_normalize()
st.markdown(f"""
**Was der Versuch zeigt.** Die blauen Balken zählen, wie viele Bilder des Batches welche Summe liefern –
die Zahl, die das Neuron zu einem Bild ausrechnet, bevor seine Aktivierung (hier sigmoid) daraus die
Antwort macht. Bei »zu weit links« landen fast alle Summen dort, wo die Kurve flach ist: Das Neuron antwortet auf jedes
Bild mit fast 0, und weil die Ableitung dort fast 0 ist, lernt es auch kaum etwas (Kapitel 7). Bei »zu
schmal« ist die Kurve zwar steil, aber alle Antworten liegen dicht bei 0,5 – das Neuron unterscheidet
die Bilder kaum. Rechts sieht es jedes Mal gleich aus: Nach dem **Normalisieren** verteilen sich die
Werte um 0 über den gebogenen Teil der Kurve, und verschiedene Bilder bekommen deutlich verschiedene
Antworten.

Gerechnet wird dafür zweierlei: vom Wert jedes Bildes den Mittelwert des Batches abziehen und das Ergebnis
durch die **Standardabweichung** teilen – sie sagt, wie weit die Werte im Mittel vom Mittelwert abweichen.
Ein Batch aus drei Bildern mit den Summen {listing(EXAMPLE, 0)}: Mittelwert
{de(float(example["mean"]))}, Standardabweichung {number(float(example["var"]) ** 0.5, 2)}, normalisiert
{listing(example["output"], 2)}. BN rechnet so für jedes Neuron einzeln, bei einer Faltung für jeden Kanal (über alle Bilder
des Batches und alle Positionen seiner Merkmalskarte), und zwar in jedem Trainingsschritt neu.
""")

st.header("So kommt BN ins Netz")
st.markdown("""
BN ist in Keras eine eigene Schicht, `BatchNormalization`. So sieht eine Faltung mit BN aus:
""")
st.code("""keras.layers.Conv2D(filters=24, kernel_size=6, strides=2, padding="same", use_bias=False),
keras.layers.BatchNormalization(center=True, scale=False),
keras.layers.Activation("relu"),""", language="python")
st.markdown("""
Vier Regeln stecken darin:

1. BN sitzt zwischen der Summe einer Schicht und ihrer Aktivierung. Die Schicht selbst bekommt keine
   Aktivierung mehr; die folgt als eigene Schicht `Activation("relu")`.
2. `center=True` gibt jedem Kanal einen lernbaren Versatz β. Er übernimmt die Aufgabe des **Bias**,
   deshalb steht in der Faltung `use_bias=False` (das erledigt die App für Sie, sobald `center` an ist).
3. `scale=False`: Einen lernbaren Faktor α braucht es vor relu nicht.
4. Die letzte Schicht, die softmax-Schicht, bekommt *keine* BN: Ihre zehn Werte gehen direkt in softmax
   und Kreuzentropie, dort gibt es nichts zu gewinnen.

Außer β führt jede BN-Schicht je Kanal zwei Werte mit, die nicht trainiert, sondern nur mitgeschrieben
werden: einen laufenden Mittelwert und eine laufende Varianz (das Quadrat der Standardabweichung),
gebraucht bei der Vorhersage (mehr dazu im Vertiefungsteil am Ende der Seite). Warum die Regeln 2 und 3
gelten, zeigt der Vertiefungsteil gleich darunter; ob es schadet, von ihnen abzuweichen, können Sie mit den Schaltern der Übung ausprobieren.
""")

if page.deeper("ch13_alpha_beta", "α und β – und warum kein Bias und kein α vor relu"):
    st.markdown("""
Ein Netz, in dem *jedes* Neuron genau um 0 mit Standardabweichung 1 arbeiten muss, wäre eingeschränkt:
Manchem Neuron nützt es, wenn seine Werte weiter rechts liegen oder breiter verteilt sind. Deshalb lernt
BN nach dem Normalisieren zwei **Parameter** je Neuron oder Kanal: einen Faktor α und einen Versatz β.
Weiter geht *α · (normalisierter Wert) + β*, erst dann folgt die Aktivierung. Stellen Sie unten α und β
ein und sehen Sie, wohin die Werte wandern.
""")
    deep.batchnorm_alpha_beta()
    st.markdown("""
**Kann das Netz die Normalisierung wieder zurücknehmen?** Fast: Mit α gleich der Standardabweichung und β
gleich dem Mittelwert des Batches käme der ursprüngliche Wert heraus. Ganz gelingt es nicht, denn α und β
sind feste gelernte Zahlen, während Mittelwert und Standardabweichung von Batch zu Batch schwanken; dazu
teilt BN durch eine um ein winziges ε vergrößerte Standardabweichung.

In Keras heißen die Schalter `center` (für β) und `scale` (für α, dort *gamma* genannt). Damit zu den
Gründen der Regeln 2 und 3:

- *Regel 2, kein Bias vor BN.* Das Erste, was BN rechnet, ist: Mittelwert abziehen. Ein Bias, der zu allen Bildern
  dieselbe Zahl addiert, verschiebt den Mittelwert genau um diese Zahl und verschwindet beim Abziehen
  wieder. Mit `center=True` übernimmt β seine Aufgabe; die Schicht davor bekommt `use_bias=False`.
- *Regel 3, kein α vor relu.* Für jeden Faktor α > 0 gilt relu(α · x) = α · relu(x): Der Faktor kommt unverändert
  durch die Aktivierung, und die Gewichte der nächsten Schicht können ihn genauso gut übernehmen. Eine
  solche Aktivierung heißt in diesem Kurs **skaleninvariant**. Bei sigmoid ist das anders: Ein Faktor
  davor macht die Kurve steiler oder flacher, dort braucht man α (`scale=True`).
""")

quiz.questions(chapter, "after_rules")

st.subheader("Übung: BN in jede Schicht außer der letzten")
st.markdown("""
Ausgangspunkt ist das Faltungsnetz mit Dropout aus Kapitel 12. Schalten Sie BN in *allen vier*
Schichten vor der softmax-Schicht ein (`center` an, `scale` aus). Drei weitere Einstellungen passen das
Training an BN an: **Batch-Größe** 64, Lernratenabfall mit dem Faktor **0,666** pro Epoche und Dropout
**0,3** auf der dichten Schicht. Setzen Sie den **»Zoom der Kurven«** auf 16×.
""")
columns = st.columns(4)
bn = [columns[i].toggle(f"BN nach {name}", key=state.keep(f"{KEY}_bn_{i}", False))
      for i, name in enumerate(LAYER_NAMES)]
c1, c2 = st.columns(2)
center = c1.checkbox("center (β, Versatz)", key=state.keep(f"{KEY}_center", True))
scale = c2.checkbox("scale (α, Faktor)", key=state.keep(f"{KEY}_scale", False))
c1, c2, c3 = st.columns(3)
batch = c1.select_slider("Batch-Größe", BATCHES, key=state.keep(f"{KEY}_batch", 128, BATCHES))
decay = c2.select_slider("Lernratenabfall (Faktor pro Epoche)", DECAYS, key=state.keep(f"{KEY}_decay", 0.6, DECAYS),
                         format_func=lambda v: de(v, 3).rstrip("0"))
dropout = c3.select_slider("Dropout auf der dichten Schicht", RATES, key=state.keep(f"{KEY}_dropout", 0.4, RATES),
                           format_func=lambda r: f"{round(100 * r)} %")


def block(layer, with_bn: bool) -> list:
    """A layer with relu, or the layer without activation (and without bias under ``center``), then BN, then relu."""
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
Legen Sie Ihre Validierungskurven neben die aus Kapitel 12. Mit den Einstellungen der Lösung
erreicht das Netz rund **99,5 %**{RESULT}: Von 10.000 Testziffern liest es nur noch etwa 50 falsch,
25 weniger als in Kapitel 12. Dieser fertige Lauf ist der beste von vier Läufen mit verschiedenen
Startwerten des Zufalls (*Seed* 0 bis 3: 99,40 % bis 99,50 %). Trainieren Sie die Lösung hier selbst,
rechnet die App mit Seed 0 und kommt auf etwa 99,40 % – derselbe Bauplan, nur ein anderes Los beim Start.

Am deutlichsten ist der Unterschied beim Validierungsverlust: Er fällt bis zur neunten Epoche auf 0,015
und bleibt dort – halb so hoch wie mit Dropout allein und ohne den Wiederanstieg aus Kapitel 12 (das
letzte Plus von 0,0002 ist kaum mehr als Rauschen). BN wirkt nämlich selbst als **Regularisierung**:
Jedes Bild wird mit Mittelwert und Standardabweichung *seines* zufällig zusammengestellten Batches
normalisiert, und das bringt eine kleine, ständig wechselnde Störung ins Training. Deshalb genügt
weniger Dropout (0,3 statt 0,4); oft kann man es ganz weglassen.
""")
    if page.deeper("ch13_fair", "Wie fair sind diese Vergleiche?"):
        st.markdown(f"""
**Die erste Epoche.** Nach einer Epoche erkennt der fertige Lauf 98,35 % der Testziffern, das Netz aus
Kapitel 12 ohne BN 97,79 %. Das sieht nach einem schnelleren Start aus, aber mit Batch-Größe 64 macht
die erste Epoche {de(S.TRAIN_SIZE // 64)} Schritte, mit Batch-Größe 128 nur {de(S.TRAIN_SIZE // 128)}.
Nach gleich vielen Schritten, am Ende seiner zweiten Epoche, steht das Netz ohne BN bei 98,55 % – ein
Vorsprung von BN ist da nicht zu sehen. Was BN nachweislich bringt, ist das bessere Ende; außerdem
verträgt ein Netz mit BN erfahrungsgemäß eine größere Lernrate, weil jede Schicht gut verteilte Eingaben
bekommt – darum darf die Lernrate hier langsamer sinken (Faktor 0,666 statt 0,6). Auf einem Rechner
mit 2 Kernen dauerten die zehn Epochen rund vier statt gut zwei Minuten: doppelt so viele Schritte, und BN
rechnet mit.

**Die 99,5 %.** Batch-Größe 64, Faktor 0,666 und Dropout 0,3 hat der Autor des Codelabs durch
Ausprobieren gefunden, gemessen – wie in dieser App – an den Testziffern. Die Einstellungen sind also ein
wenig auf genau diese 10.000 Ziffern zugeschnitten (Kapitel 3 erklärt, warum). Bei Unterschieden von ein
paar Dutzend Ziffern kann das schon eine Rolle spielen: Auf wirklich neuen Ziffern wäre ein etwas
schlechteres Ergebnis keine Überraschung. Wer es genau wissen will, stimmt solche Einstellungen auf
abgezweigten **Validierungsdaten** ab und misst ganz zum Schluss ein einziges Mal auf den **Testdaten**.
""")

if page.deeper("ch13_predict", "Eine einzelne Ziffer vorhersagen – laufende Mittelwerte"):
    rows = S.layer_table(presets.PRESETS["keras_05_mnist_batch_norm"])
    bn_channels = [row["non_trainable"] // 2 for row in rows if row["non_trainable"]]
    st.markdown(f"""
Malen Sie auf der Seite »Ziffern zeichnen« eine Ziffer, bekommt das Netz einen Batch aus genau einem
Bild. Daraus lässt sich hinter einer dichten Schicht keine Standardabweichung berechnen, und die Antwort
soll ohnehin nicht davon abhängen, welche anderen Bilder zufällig mitkommen. Deshalb führt BN während des
Trainings für jedes Neuron und jeden Kanal einen **laufenden Mittelwert** mit: Nach jedem Batch rücken
ein gespeicherter Mittelwert und eine gespeicherte Varianz (das Quadrat der Standardabweichung) ein Stück
in Richtung der Werte dieses Batches. Bei der Vorhersage rechnet BN mit diesen festen Zahlen.

Trainiert werden sie nicht, nur mitgeschrieben: In `model.summary()` erscheinen sie als *nicht
trainierbare Parameter*, zwei je Kanal. Das Netz der Lösung hat {de(sum(row["params"] for row in rows))} Parameter,
davon {de(sum(row["non_trainable"] for row in rows))} nicht trainierbar – 2 × ({" + ".join(map(str, bn_channels))})
für die {len(bn_channels)} BN-Schichten. Keras erledigt all das in
`keras.layers.BatchNormalization` von selbst.
""")

page.end(chapter)
