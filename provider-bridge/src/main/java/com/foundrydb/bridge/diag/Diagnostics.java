package com.foundrydb.bridge.diag;

import com.foundrydb.bridge.cty.CtyPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** The diagnostics one RPC collects; any error makes Terraform stop the operation. */
public final class Diagnostics implements Iterable<Diagnostic> {

    private final List<Diagnostic> items = new ArrayList<>();

    public Diagnostics add(Diagnostic diagnostic) {
        items.add(diagnostic);
        return this;
    }

    public Diagnostics addAll(Diagnostics other) {
        items.addAll(other.items);
        return this;
    }

    public Diagnostics error(String summary, String detail) {
        return add(Diagnostic.error(summary, detail));
    }

    public Diagnostics error(CtyPath attribute, String summary, String detail) {
        return add(Diagnostic.error(attribute, summary, detail));
    }

    public Diagnostics warning(String summary, String detail) {
        return add(Diagnostic.warning(summary, detail));
    }

    public boolean hasErrors() {
        for (Diagnostic diagnostic : items) {
            if (diagnostic.isError()) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public List<Diagnostic> asList() {
        return Collections.unmodifiableList(items);
    }

    @Override
    public Iterator<Diagnostic> iterator() {
        return asList().iterator();
    }

    @Override
    public String toString() {
        return items.toString();
    }
}
