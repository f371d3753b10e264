package io.tidemark.load;

/** A PushRequest, already encoded, with its sequence and the number of samples in it. */
record OutgoingBatch(long sequence, byte[] encoded, int samples) {
}
