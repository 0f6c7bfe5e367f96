"""Chapter 14: stronger hardware and tf.distribute."""
from tutorial import presets
from tutorial.deutsch import de
from tutorial.questions.model import Question
from tutorial.spec import TRAIN_SIZE

BN = presets.PRESETS["keras_05_mnist_batch_norm"]            # the course's largest model (chapter 13)
PER_REPLICA = 128                                            # the examples' batch per device
TPU_CORES = 8                                                # "TPU-Kerne: z. B. 8" in the TPUStrategy example
TPU = BN.with_(batch_size=PER_REPLICA * TPU_CORES)           # the global batch model.fit sees

QUESTIONS = {
    "after_hardware": (
        Question(
            id="ch14.gpu_steps",
            prompt="Sie laden die Lösung von Kapitel 13 als Notizbuch herunter und trainieren sie in Colab auf einer "
                   f"Grafikkarte – mit denselben Einstellungen wie in der App (Batch-Größe {BN.batch_size}, "
                   f"{de(BN.train_size)} Trainingsziffern). Wie viele Trainingsschritte macht eine Epoche dort?",
            answer=BN.steps_per_epoch,
            right=f"Richtig: {de(BN.train_size)} ÷ {BN.batch_size}, abgerundet {de(BN.steps_per_epoch)} – genau "
                  "so viele wie auf dem Hauptprozessor. Die Grafikkarte rechnet jeden Schritt schneller, aber die "
                  "Zahl der Schritte legen Daten und Batch-Größe fest.",
            wrong=f"Die Zahl der Schritte hängt nur von den Trainingsziffern und der Batch-Größe ab: "
                  f"{de(BN.train_size)} ÷ {BN.batch_size}, abgerundet.",
            typical=((BN.steps_per_epoch + 1, "Fast – Keras rechnet hier mit `TRAIN_SIZE // BATCH_SIZE`, also "
                                              "abgerundet; die restlichen Ziffern kommen in der nächsten Epoche "
                                              "dran."),
                     (BN.with_(batch_size=128).steps_per_epoch,
                      f"So viele wären es bei Batch-Größe 128. Die Lösung von Kapitel 13 nimmt {BN.batch_size}, "
                      "und eine Grafikkarte ändert die Batch-Größe nicht von selbst – die legen Sie fest."),
                     (BN.train_size, "Ein Schritt rechnet einen ganzen Batch, nicht ein einzelnes Bild – auf der "
                                     "Grafikkarte wie auf dem Hauptprozessor.")),
        ),
    ),
    "after_distribute": (
        Question(
            id="ch14.tpu_steps",
            prompt=f"Eine TPU mit {TPU_CORES} Kernen trainiert mit TPUStrategy wie im Beispiel oben: "
                   f"`BATCH_SIZE = {PER_REPLICA} * strategy.num_replicas_in_sync`. Wie viele Schritte hat eine "
                   f"Epoche über die {de(TRAIN_SIZE)} Trainingsziffern (`steps_per_epoch = TRAIN_SIZE // "
                   "BATCH_SIZE`)?",
            answer=TPU.steps_per_epoch,
            right=f"Richtig: Der globale Batch ist {PER_REPLICA} · {TPU_CORES} = {de(TPU.batch_size)} Bilder, "
                  f"{de(TRAIN_SIZE)} ÷ {de(TPU.batch_size)} ergibt abgerundet {de(TPU.steps_per_epoch)} Schritte. "
                  f"Jeder Kern rechnet in jedem Schritt {PER_REPLICA} davon.",
            wrong=f"model.fit sieht den globalen Batch: {PER_REPLICA} Bilder pro Kern mal {TPU_CORES} Kerne. "
                  "Teilen Sie die Trainingsziffern durch ihn und runden Sie ab.",
            typical=((TRAIN_SIZE // PER_REPLICA, f"So viele Schritte wären es mit {PER_REPLICA} Bildern je Schritt. "
                                                 f"{PER_REPLICA} ist aber der Anteil *jedes* Kerns; model.fit sieht "
                                                 f"den globalen Batch aus {de(TPU.batch_size)} Bildern."),
                     (TPU.steps_per_epoch + 1, "Fast – `TRAIN_SIZE // BATCH_SIZE` rundet ab; die übrigen Ziffern "
                                               "kommen in der nächsten Epoche dran."),
                     (TRAIN_SIZE // (PER_REPLICA // TPU_CORES),
                      f"Sie haben {PER_REPLICA} durch {TPU_CORES} geteilt. Die Strategie teilt den globalen Batch "
                      f"auf die Kerne auf – der ist deshalb {TPU_CORES}-mal so groß, nicht kleiner."),
                     (TRAIN_SIZE // TPU_CORES, "Etwa so viele Ziffern bekommt jeder Kern in einer Epoche"
                                               f" (genau {TPU.steps_per_epoch} · {PER_REPLICA} = "
                                               f"{de(TPU.steps_per_epoch * PER_REPLICA)}). Gefragt sind "
                                               "die Schritte: Jeder Schritt rechnet einen ganzen globalen Batch.")),
        ),
    ),
}
