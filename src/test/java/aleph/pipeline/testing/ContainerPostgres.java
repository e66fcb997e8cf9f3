package aleph.pipeline.testing;

import java.util.Optional;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/** PostgreSQL 17 in a container, for machines with a Docker engine that ask for it. Started once per JVM. */
final class ContainerPostgres {

  private static PostgreSQLContainer<?> container;

  private ContainerPostgres() {
  }

  static synchronized String start() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      throw new IllegalStateException("PIPELINE_TEST_POSTGRES=testcontainers but no Docker engine is reachable");
    }
    container = new PostgreSQLContainer<>("postgres:17");
    container.start();
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "postgres-container-stop"));
    return container.getJdbcUrl();
  }

  static synchronized Optional<String> user() {
    return Optional.ofNullable(container).map(PostgreSQLContainer::getUsername);
  }

  static synchronized Optional<String> password() {
    return Optional.ofNullable(container).map(PostgreSQLContainer::getPassword);
  }
}
