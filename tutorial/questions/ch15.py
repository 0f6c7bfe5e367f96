"""Chapter 15: summary of the course."""
from tutorial import presets, pretrained
from tutorial import spec as S
from tutorial.deutsch import de, short
from tutorial.layers import Dropout
from tutorial.questions.model import Option, Question, epochs

BN_RUN, DROPOUT_RUN = "keras_05_mnist_batch_norm", "keras_04_mnist_convolutional"


def _course(name: str) -> dict:
    """What the chart question quotes of a finished run."""
    values = epochs(pretrained.load_history(name))
    loss = [e["val_loss"] for e in values]
    best = min(range(len(loss)), key=loss.__getitem__)
    return {"best_epoch": best + 1, "lowest": loss[best], "last": loss[-1], "highest_after": max(loss[best:]),
            "train_last": values[-1]["loss"]}


BN_COURSE, DROPOUT_COURSE = _course(BN_RUN), _course(DROPOUT_RUN)
BN_SPEC, DROPOUT_SPEC = presets.PRESETS[BN_RUN], presets.PRESETS[DROPOUT_RUN]
BN_RATE, DROPOUT_RATE = (next(x.rate for x in spec.layers if isinstance(x, Dropout)) for spec in (BN_SPEC, DROPOUT_SPEC))

# "Der Weg in Zahlen": why the BN net has more parameters than the one with dropout alone
BN_ROWS = S.layer_table(presets.PRESETS[BN_RUN])
BN_PARAMS, DROPOUT_PARAMS = S.param_count(presets.PRESETS[BN_RUN]), S.param_count(presets.PRESETS[DROPOUT_RUN])
BETAS = sum(r["trainable"] for r in BN_ROWS if r["layer"] == "BatchNorm")
RUNNING = sum(r["non_trainable"] for r in BN_ROWS if r["layer"] == "BatchNorm")
BIASES = sum(layer.units if hasattr(layer, "units") else layer.filters
             for layer in presets.PRESETS[BN_RUN].layers if getattr(layer, "use_bias", True) is False)

QUESTIONS = {
    "after_summary": (
        Question(
            id="ch15.which_bn",
            prompt="Die Verlustkurven zweier fertiger Läufe dieser App: das Faltungsnetz mit Dropout 0,4 "
                   "(Kapitel 12) und das mit Batch-Normalisierung (Kapitel 13). Welcher ist der mit "
                   "Batch-Normalisierung?",
            runs=(BN_RUN, DROPOUT_RUN), zoom=16,
            options=(
                Option("Lauf A", True,
                       "Richtig: Sein Validierungsverlust (blau) sinkt bis Epoche "
                       f"{BN_COURSE['best_epoch']} auf {de(BN_COURSE['lowest'], 3)} und bleibt dort – etwa halb so "
                       f"hoch wie bei Lauf B, der nach Epoche {DROPOUT_COURSE['best_epoch']} nicht mehr sinkt und "
                       f"bei {de(DROPOUT_COURSE['last'], 3)} endet. Tieferer Verlust ohne Wiederanstieg – so endete in "
                       f"Kapitel 13 das Netz mit BN und seinen abgestimmten Einstellungen (Batch-Größe "
                       f"{BN_SPEC.batch_size}, Dropout {short(BN_RATE)}, Faktor {short(BN_SPEC.lr_decay)})."),
                Option("Lauf B", False,
                       "Lauf B ist das Netz mit Dropout allein. Vielleicht hat Sie sein höherer Trainingsverlust "
                       f"(orange, am Ende {de(DROPOUT_COURSE['train_last'], 4)} gegen "
                       f"{de(BN_COURSE['train_last'], 4)}) an die Regularisierung durch BN denken lassen. Der sagt "
                       f"hier wenig: Lauf B trainiert mit stärkerem Dropout ({short(DROPOUT_RATE)} statt "
                       f"{short(BN_RATE)}), und Keras misst den Trainingsverlust mit abgeschalteten Neuronen. Achten "
                       f"Sie auf die blaue Linie: Bei Lauf A sinkt sie bis auf {de(BN_COURSE['lowest'], 3)}, bei "
                       f"Lauf B bleibt sie ab Epoche {DROPOUT_COURSE['best_epoch']} zwischen "
                       f"{de(DROPOUT_COURSE['lowest'], 3)} und {de(DROPOUT_COURSE['highest_after'], 3)}."),
                Option("Das lässt sich an den Kurven nicht erkennen.", False,
                       "Doch – am Validierungsverlust (blau): Bei Lauf A sinkt er bis Epoche "
                       f"{BN_COURSE['best_epoch']} auf {de(BN_COURSE['lowest'], 3)}, bei Lauf B kommt er nach "
                       f"Epoche {DROPOUT_COURSE['best_epoch']} nicht mehr unter {de(DROPOUT_COURSE['lowest'], 3)}. "
                       "Diesen tieferen Verlust ohne Wiederanstieg zeigte in Kapitel 13 das Netz mit BN."),
            ),
        ),
        Question(
            id="ch15.param_difference",
            prompt=f"In der Tabelle »Der Weg in Zahlen« hat das Netz mit Batch-Normalisierung {de(BN_PARAMS)} "
                   f"Parameter, das Faltungsnetz mit Dropout {de(DROPOUT_PARAMS)} – {de(BN_PARAMS - DROPOUT_PARAMS)} "
                   "mehr. Woher kommt der Unterschied?",
            options=(
                Option(f"Das sind die {de(RUNNING)} laufenden Mittelwerte und Varianzen der BN-Schichten; sonst "
                       "ändert sich nichts.", False,
                       f"Die Zahl stimmt, die Rechnung nicht ganz: Es kommen auch {de(BETAS)} trainierbare β dazu "
                       "(eines je Kanal bzw. Neuron), und ebenso viele Biases fallen weg, weil die Schichten vor BN "
                       "use_bias=False bekommen (Regel 2). Die beiden heben sich genau auf."),
                Option(f"BN bringt {de(BETAS)} β und {de(RUNNING)} laufende Werte, dafür fallen {de(BIASES)} "
                       "Biases weg (use_bias=False).", True,
                       f"Richtig: {de(DROPOUT_PARAMS)} + {de(BETAS)} + {de(RUNNING)} − {de(BIASES)} = "
                       f"{de(BN_PARAMS)}. Trainierbar sind in beiden Netzen gleich viele Parameter – β übernimmt "
                       "genau die Aufgabe der weggefallenen Biases."),
                Option(f"Jede BN-Schicht lernt einen Faktor α und einen Versatz β je Kanal: 2 · {de(BETAS)} = "
                       f"{de(RUNNING)}.", False,
                       "Die Lösung hat scale=False: Es gibt kein α, nur β. Die 2 · "
                       f"{de(BETAS)} stimmen trotzdem – es sind die zwei nicht trainierbaren Werte je Kanal "
                       "(laufender Mittelwert und laufende Varianz). Dazu kommen die β, und ebenso viele Biases "
                       "fallen weg."),
            ),
        ),
    ),
}
