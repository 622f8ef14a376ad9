package dev.wgdiag.lab;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class (or method) that needs the lab: root, network namespaces, wireguard-go, wg,
 * nft, tcpdump, conntrack, jq, mergecap. Without them the test is skipped with the reason printed,
 * except when the environment variable CI is "true": then the missing lab fails the test.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("lab")
@ExtendWith(LabPrerequisites.class)
public @interface LabTest {
}
