package dev.basenft.planted.core.port.in;

import dev.basenft.planted.core.model.Amount;
import dev.basenft.planted.core.port.out.Store;

/** Violation: an in-port whose answer is an out-port's type. */
public interface ReturnsAnOutPortType {

    Amount total();

    Store store();
}
