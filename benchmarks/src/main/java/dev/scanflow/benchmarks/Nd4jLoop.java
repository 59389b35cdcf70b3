package dev.scanflow.benchmarks;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The seed's training step hand-written on plain ND4J, the best a user can do there: every array
 * allocated once for a given T, products with {@code Nd4j.gemm} into existing arrays, in-place
 * transforms, per-step views prepared in advance. The same math as {@link SeedGraph}.
 */
final class Nd4jLoop {
  private final int t;
  private final int batch;
  private final int hidden;
  private final float lr;
  private final float clip;
  final INDArray wH;
  final INDArray wX;
  final INDArray b;
  final INDArray wP;
  final INDArray bP;
  private final INDArray dWh;
  private final INDArray dWx;
  private final INDArray db;
  private final INDArray dWp;
  private final INDArray dbp;
  private final INDArray hs; // [(T+1) B, H]: h_0 .. h_T
  private final INDArray[] h; // views [B, H]
  private final INDArray[] pre; // views of a [T B, H] buffer
  private final INDArray preAll;
  private final INDArray pred; // [T B, 1]
  private final INDArray dPred;
  private final INDArray dHs; // [T B, H]
  private final INDArray[] dHsT;
  private final INDArray dh;
  private final INDArray dhNext;
  private final INDArray tmp;

  Nd4jLoop(int t, int batch, int hidden, double lr, double clip, List<INDArray> init) {
    this.t = t;
    this.batch = batch;
    this.hidden = hidden;
    this.lr = (float) lr;
    this.clip = (float) clip;
    wH = init.get(0).dup();
    wX = init.get(1).dup();
    b = init.get(2).dup().reshape(1, hidden);
    wP = init.get(3).dup();
    bP = init.get(4).dup().reshape(1, 1);
    dWh = Nd4j.create(DataType.FLOAT, hidden, hidden);
    dWx = Nd4j.create(DataType.FLOAT, 1, hidden);
    db = Nd4j.create(DataType.FLOAT, 1, hidden);
    dWp = Nd4j.create(DataType.FLOAT, hidden, 1);
    dbp = Nd4j.create(DataType.FLOAT, 1, 1);
    hs = Nd4j.create(DataType.FLOAT, (long) (t + 1) * batch, hidden);
    h = new INDArray[t + 1];
    for (int i = 0; i <= t; i++) {
      h[i] =
          hs.get(
              NDArrayIndex.interval((long) i * batch, (long) (i + 1) * batch), NDArrayIndex.all());
    }
    preAll = Nd4j.create(DataType.FLOAT, (long) t * batch, hidden);
    pre = new INDArray[t];
    dHsT = new INDArray[t];
    dHs = Nd4j.create(DataType.FLOAT, (long) t * batch, hidden);
    for (int i = 0; i < t; i++) {
      pre[i] =
          preAll.get(
              NDArrayIndex.interval((long) i * batch, (long) (i + 1) * batch), NDArrayIndex.all());
      dHsT[i] =
          dHs.get(
              NDArrayIndex.interval((long) i * batch, (long) (i + 1) * batch), NDArrayIndex.all());
    }
    pred = Nd4j.create(DataType.FLOAT, (long) t * batch, 1);
    dPred = Nd4j.create(DataType.FLOAT, (long) t * batch, 1);
    dh = Nd4j.create(DataType.FLOAT, batch, hidden);
    dhNext = Nd4j.create(DataType.FLOAT, batch, hidden);
    tmp = Nd4j.create(DataType.FLOAT, batch, hidden);
  }

  /** One training step on x, y of shape [T, B, 1]; returns the loss before the update. */
  double step(INDArray x, INDArray y) {
    INDArray x2 = x.reshape(t * batch, 1);
    INDArray y2 = y.reshape(t * batch, 1);
    // forward: pre_t = h_{t-1} W_h + x_t W_x + b; h_t = tanh(pre_t)
    h[0].assign(0);
    Nd4j.gemm(x2, wX, preAll, false, false, 1.0, 0.0);
    preAll.addiRowVector(b);
    for (int i = 0; i < t; i++) {
      Nd4j.gemm(h[i], wH, pre[i], false, false, 1.0, 1.0);
      Transforms.tanh(pre[i], false);
      h[i + 1].assign(pre[i]);
    }
    INDArray states =
        hs.get(NDArrayIndex.interval(batch, (long) (t + 1) * batch), NDArrayIndex.all());
    Nd4j.gemm(states, wP, pred, false, false, 1.0, 0.0);
    pred.addi(bP.getFloat(0));
    dPred.assign(pred).subi(y2);
    double loss = dPred.norm2Number().doubleValue();
    loss = loss * loss / (t * batch);
    // backward
    dPred.muli(2.0 / (t * batch));
    Nd4j.gemm(states, dPred, dWp, true, false, 1.0, 0.0);
    dbp.assign(dPred.sumNumber());
    Nd4j.gemm(dPred, wP, dHs, false, true, 1.0, 0.0);
    dhNext.assign(0);
    for (int i = t - 1; i >= 0; i--) {
      dh.assign(dHsT[i]).addi(dhNext);
      // dpre = dh * (1 - h^2), kept in dHsT[i]
      tmp.assign(h[i + 1]).muli(h[i + 1]).rsubi(1).muli(dh);
      dHsT[i].assign(tmp);
      Nd4j.gemm(tmp, wH, dhNext, false, true, 1.0, 0.0);
    }
    INDArray prevStates = hs.get(NDArrayIndex.interval(0, (long) t * batch), NDArrayIndex.all());
    Nd4j.gemm(prevStates, dHs, dWh, true, false, 1.0, 0.0);
    Nd4j.gemm(x2, dHs, dWx, true, false, 1.0, 0.0);
    db.assign(dHs.sum(true, 0));
    // global-norm clipping and SGD
    double sq = 0;
    for (INDArray g : new INDArray[] {dWh, dWx, db, dWp, dbp}) {
      double n = g.norm2Number().doubleValue();
      sq += n * n;
    }
    double norm = Math.sqrt(sq);
    float scale = (float) (lr * clip / Math.max(norm, clip));
    wH.subi(dWh.muli(scale));
    wX.subi(dWx.muli(scale));
    b.subi(db.muli(scale));
    wP.subi(dWp.muli(scale));
    bP.subi(dbp.muli(scale));
    return loss;
  }

  List<INDArray> weightValues() {
    return List.of(wH, wX, b.reshape(hidden), wP, bP.reshape(1));
  }
}
