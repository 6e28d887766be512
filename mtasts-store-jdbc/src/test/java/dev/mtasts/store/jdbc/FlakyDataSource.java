package dev.mtasts.store.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A real data source with two switches for outages a test cannot time with a real server: "down"
 * (every new connection is refused, SQLSTATE 08001) and "lose the next commit's acknowledgment"
 * (the commit reaches the database, then the caller gets a broken connection, SQLSTATE 08006).
 */
final class FlakyDataSource {
    final AtomicBoolean down = new AtomicBoolean();
    final AtomicBoolean loseNextCommitAck = new AtomicBoolean();
    final DataSource dataSource;

    FlakyDataSource(DataSource real) {
        this.dataSource = proxy(DataSource.class, (p, m, args) -> {
            if (m.getName().equals("getConnection")) {
                if (down.get()) {
                    throw new SQLException("connection refused (test outage)", "08001");
                }
                Connection c = (Connection) invoke(real, m, args);
                return proxy(Connection.class, (cp, cm, cargs) -> {
                    Object result = invoke(c, cm, cargs);
                    if (cm.getName().equals("commit") && loseNextCommitAck.compareAndSet(true, false)) {
                        throw new SQLException("connection reset after commit (test outage)", "08006");
                    }
                    return result;
                });
            }
            return invoke(real, m, args);
        });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(
                Proxy.newProxyInstance(FlakyDataSource.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
