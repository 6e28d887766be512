package dev.mtasts.cli;

import dev.mtasts.core.RecordSelection;
import dev.mtasts.core.StsRecord;
import dev.mtasts.tlsrpt.TlsRptRecord;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mtasts txt TEXT...}: applies the one-record rule to TXT strings and explains the result. */
@Command(
        name = "txt",
        mixinStandardHelpOptions = true,
        // Kept for scripts that use it; 'lint' checks the same texts with line-precise findings.
        hidden = true,
        description = "Explain the TXT strings of an _mta-sts (RFC 8461 §3.1) or _smtp._tls (RFC 8460 §3) RRset.")
final class ExplainRecordCommand implements Callable<Integer> {
    @Parameters(
            arity = "1..*",
            paramLabel = "TEXT",
            description = "one argument per TXT record, character-strings joined")
    List<String> rrset = List.of();

    @Spec
    @Nullable
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = Main.out(spec);
        // An RRset with any TLSRPT candidate is read as _smtp._tls; otherwise as _mta-sts.
        RecordSelection<TlsRptRecord> selection = TlsRptRecord.selection(rrset);
        if (!(selection instanceof RecordSelection.NoRecord)) {
            out.println("_smtp._tls: " + describe(selection));
            selection.record().ifPresent(r -> r.rua().forEach(uri -> out.println("  rua " + uri)));
            return selection.record().isPresent() ? 0 : 1;
        }
        RecordSelection<StsRecord> sts = StsRecord.selection(rrset);
        out.println("_mta-sts: " + describe(sts));
        sts.record().ifPresent(r -> out.println("  id " + r.id()));
        return sts.record().isPresent() ? 0 : 1;
    }

    static String describe(RecordSelection<?> selection) {
        if (selection instanceof RecordSelection.Selected) {
            return "one valid record";
        }
        if (selection instanceof RecordSelection.MultipleRecords) {
            return ((RecordSelection.MultipleRecords<?>) selection).count()
                    + " candidate records: the domain is treated as having none";
        }
        if (selection instanceof RecordSelection.InvalidRecord) {
            return "invalid record, treated as none: "
                    + ((RecordSelection.InvalidRecord<?>) selection).error().getMessage();
        }
        return "no record";
    }
}
