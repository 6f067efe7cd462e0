package io.baystack.quota;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class QuotaRepository implements PanacheRepository<Quota> {

    public Uni<Quota> find(String projectId, String resource) {
        return find("projectId = ?1 and resource = ?2", projectId, resource).firstResult();
    }
}
