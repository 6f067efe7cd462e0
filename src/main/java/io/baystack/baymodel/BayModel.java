package io.baystack.baymodel;

import java.time.Instant;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.baystack.api.JsonColumns;

/** A bay model: the template a bay is built from. */
@Entity
@Table(name = "baymodel")
public class BayModel {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String uuid;
    public String name;
    @Column(name = "project_id")
    public String projectId;
    @Column(name = "user_id")
    public String userId;
    public String coe;
    @Column(name = "image_id")
    public String imageId;
    @Column(name = "flavor_id")
    public String flavorId;
    @Column(name = "master_flavor_id")
    public String masterFlavorId;
    @Column(name = "keypair_id")
    public String keypairId;
    @Column(name = "external_network_id")
    public String externalNetworkId;
    @Column(name = "fixed_network")
    public String fixedNetwork;
    @Column(name = "fixed_subnet")
    public String fixedSubnet;
    @Column(name = "dns_nameserver")
    public String dnsNameserver;
    @Column(name = "docker_volume_size")
    public Integer dockerVolumeSize;
    @Column(name = "network_driver")
    public String networkDriver;
    @Column(name = "volume_driver")
    public String volumeDriver;
    @Convert(converter = JsonColumns.StringMap.class)
    @Column(columnDefinition = "text")
    public Map<String, String> labels = Map.of();
    @Column(name = "public")
    public boolean isPublic;
    public boolean hidden;
    @Column(name = "tls_disabled")
    public boolean tlsDisabled;
    @Column(name = "floating_ip_enabled")
    public boolean floatingIpEnabled = true;
    @Column(name = "master_lb_enabled")
    public boolean masterLbEnabled;
    @Column(name = "server_type")
    public String serverType = "vm";
    @Column(name = "cluster_distro")
    public String clusterDistro;
    @Column(name = "docker_storage_driver")
    public String dockerStorageDriver;
    @Column(name = "http_proxy")
    public String httpProxy;
    @Column(name = "https_proxy")
    public String httpsProxy;
    @Column(name = "no_proxy")
    public String noProxy;
    @Column(name = "registry_enabled")
    public boolean registryEnabled;
    @Column(name = "insecure_registry")
    public String insecureRegistry;
    @Column(name = "apiserver_port")
    public Integer apiserverPort;
    public String tags;
    /** Magnum's cluster template driver (cluster templates only); null: the default. */
    public String driver;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
