package io.tidemark.load;

import java.util.List;

/** What one Push stream did, taken once it has finished. */
record StreamResult(
        long batchesSent,
        long batchesAcked,
        long samplesSent,
        long bytesSent,
        long samplesAcked,
        long samplesAccepted,
        long samplesRejected,
        List<RejectionNote> firstRejections,
        long unexpectedAcks,
        long flowControlPauses,
        String failure,
        LatencyRecorder latencies) {

    long batchesUnacked() {
        return batchesSent - batchesAcked;
    }

    /** One rejection as the server reported it. */
    record RejectionNote(long sequence, String field, String code, String reason) {

        @Override
        public String toString() {
            return "batch " + sequence + " " + field + " [" + code + "]: " + reason;
        }
    }
}
