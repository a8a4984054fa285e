/*
 * LD_PRELOAD shim for benchmarking Janus on a loopback-only machine.
 *
 * Janus (through libnice's nice_interfaces_get_local_ips) skips every interface flagged IFF_LOOPBACK when it
 * gathers host candidates, so on a machine whose only interface is lo it offers no candidate at all and ICE
 * never starts. Clearing the flag on "lo" in getifaddrs' answer makes 127.0.0.1 an ordinary host address;
 * nat.ice_enforce_list = "lo" in janus.jcfg then keeps it the only one.
 *
 * Build: gcc -shared -fPIC -O2 -o loopback_shim.so loopback_shim.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <string.h>

int getifaddrs(struct ifaddrs **ifap)
{
    static int (*real_getifaddrs)(struct ifaddrs **);
    if (real_getifaddrs == NULL)
        real_getifaddrs = (int (*)(struct ifaddrs **))dlsym(RTLD_NEXT, "getifaddrs");
    if (real_getifaddrs == NULL)
        return -1;
    int result = real_getifaddrs(ifap);
    if (result != 0)
        return result;
    for (struct ifaddrs *i = *ifap; i != NULL; i = i->ifa_next)
        if (i->ifa_name != NULL && strcmp(i->ifa_name, "lo") == 0)
            i->ifa_flags &= ~IFF_LOOPBACK;
    return 0;
}
